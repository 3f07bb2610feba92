package io.nicup.ndis.conformance;

/**
 * What one check found: PASS with what was seen, FAIL with the evidence, or SKIPPED with the reason it could
 * not run here (a skip is never a pass).
 */
public record CheckResult(Outcome outcome, String detail) {

    public enum Outcome {
        PASS, FAIL, SKIPPED
    }

    public static CheckResult pass(String detail) {
        return new CheckResult(Outcome.PASS, detail);
    }

    public static CheckResult fail(String evidence) {
        return new CheckResult(Outcome.FAIL, evidence);
    }

    public static CheckResult skipped(String reason) {
        return new CheckResult(Outcome.SKIPPED, reason);
    }

    public boolean failed() {
        return outcome == Outcome.FAIL;
    }
}
