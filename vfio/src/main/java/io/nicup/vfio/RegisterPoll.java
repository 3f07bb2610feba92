package io.nicup.vfio;

/**
 * Waits for register bits with a deadline. Every poll a driver does goes through here, so that no poll
 * can hang and every timeout names the register, the mask and the last value read.
 */
public final class RegisterPoll {

    /** Time between reads: short enough for a reset that completes in microseconds. */
    private static final long INTERVAL_NANOS = 10_000;

    private RegisterPoll() {
    }

    /**
     * Polls a 32-bit register until {@code (value & mask) == expected}.
     *
     * @return the last value read (which satisfies the condition)
     * @throws RegisterTimeoutException when {@code timeoutNanos} passed first
     */
    public static int until(RegisterSpace regs, DeviceClock clock, String name, long offset, int mask,
            int expected, long timeoutNanos) {
        long deadline = clock.nanoTime() + timeoutNanos;
        while (true) {
            int value = regs.read32(offset);
            if ((value & mask) == expected) {
                return value;
            }
            if (clock.nanoTime() - deadline >= 0) {
                throw new RegisterTimeoutException(name, offset, mask & 0xFFFFFFFFL, expected & 0xFFFFFFFFL,
                        value & 0xFFFFFFFFL, timeoutNanos);
            }
            clock.sleepNanos(INTERVAL_NANOS);
        }
    }
}
