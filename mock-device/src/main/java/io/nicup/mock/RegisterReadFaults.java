package io.nicup.mock;

import java.util.SplittableRandom;

/**
 * The two faults every model injects the same way into the driver's register reads: after N reads
 * ({@link ModelFault.Counts#REGISTER_READS}) every read returns all ones ({@code registers-all-ones}) or
 * a random value from a fixed seed ({@code registers-random}). Each model counts the reads of its
 * register BAR here and keeps what a read does otherwise; the read's side effects have happened by the
 * time the answer is lost.
 *
 * @param <F> the model's fault enum
 */
public final class RegisterReadFaults<F extends Enum<F>> {

    private final InjectedFaults<F> faults;
    private final F allOnes;
    private final F random;
    /** What the registers-random fault answers: the same values on every run. */
    private final SplittableRandom garbage;
    private long reads;
    private boolean lied;

    /** @param seed the registers-random seed (one per model, so its runs repeat) */
    public RegisterReadFaults(InjectedFaults<F> faults, F allOnes, F random, long seed) {
        this.faults = faults;
        this.allOnes = allOnes;
        this.random = random;
        this.garbage = new SplittableRandom(seed);
    }

    /** Counts one read of {@code width} bytes that found {@code value}; returns what the driver sees. */
    public long read(long value, int width) {
        long mask = width >= 8 ? -1L : (1L << (8 * width)) - 1;
        long n = reads++;
        lied = true;
        if (faults.reached(allOnes, n)) {
            return mask;
        }
        if (faults.reached(random, n)) {
            return garbage.nextInt() & mask;
        }
        lied = false;
        return value;
    }

    /** The reads counted so far: what a registers-* fault (or any fault counting them) compares with. */
    public long reads() {
        return reads;
    }

    /** Whether the last read's answer was replaced (so no other lie is told on top of it). */
    public boolean lastReadLied() {
        return lied;
    }
}
