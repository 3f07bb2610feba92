package io.nicup.vfio;

/** A register poll ran past its deadline. Names the register, the mask, the expected and the last value. */
public final class RegisterTimeoutException extends DeviceAccessException {

    private final String register;
    private final long lastValue;

    public RegisterTimeoutException(String register, long offset, long mask, long expected, long lastValue,
            long timeoutNanos) {
        super(Reason.HARDWARE,
                String.format("register poll timed out: register=%s offset=0x%05x mask=0x%08x expected=0x%08x"
                        + " last=0x%08x timeout_ms=%d", register, offset, mask, expected, lastValue,
                        timeoutNanos / 1_000_000),
                "the device did not respond: check that it is present and powered (all-ones reads mean it is"
                        + " gone), then reset or re-bind it");
        this.register = register;
        this.lastValue = lastValue;
    }

    public String register() {
        return register;
    }

    public long lastValue() {
        return lastValue;
    }
}
