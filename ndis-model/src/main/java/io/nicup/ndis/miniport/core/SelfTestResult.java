package io.nicup.ndis.miniport.core;

/**
 * One offline self-test's result, as {@code ethtool -t} reports it: the test's name (register, nvm,
 * interrupt, phy-loopback, ...), whether it passed, and a reason that names what was seen.
 */
public record SelfTestResult(String name, Outcome outcome, String reason) {

    /** Outcome of one self-test. SKIPPED counts as passed: the test does not apply to this device. */
    public enum Outcome {
        PASS, FAIL, SKIPPED
    }

    public boolean passed() {
        return outcome != Outcome.FAIL;
    }

    @Override
    public String toString() {
        return outcome + " " + name + ": " + reason;
    }
}
