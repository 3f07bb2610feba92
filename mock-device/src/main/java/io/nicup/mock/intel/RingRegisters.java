package io.nicup.mock.intel;

/**
 * The five registers of one descriptor ring (base low and high, length in bytes, head, tail), at the
 * offsets the chip's register map gives, and the ring arithmetic both chips share: 16-byte
 * descriptors, empty when head meets tail or the tail lies outside the ring.
 */
public record RingRegisters(int bal, int bah, int len, int head, int tail) {

    /** Every Intel legacy, extended and advanced descriptor is 16 bytes. */
    public static final int DESCRIPTOR_SIZE = 16;

    public long base(int[] regs) {
        return ((long) regs[bah >> 2] << 32) | (regs[bal >> 2] & 0xFFFFFFFFL);
    }

    public int lengthBytes(int[] regs) {
        return regs[len >> 2];
    }

    public int descriptors(int[] regs) {
        return regs[len >> 2] / DESCRIPTOR_SIZE;
    }

    public boolean empty(int[] regs) {
        int t = regs[tail >> 2];
        return regs[head >> 2] == t || t >= regs[len >> 2] / DESCRIPTOR_SIZE;
    }

    /** The address of the descriptor at the head. */
    public long headDescriptor(int[] regs) {
        return base(regs) + (long) regs[head >> 2] * DESCRIPTOR_SIZE;
    }

    /** The address of the descriptor at the tail: the first one the driver has not handed over. */
    public long tailDescriptor(int[] regs) {
        return base(regs) + (long) regs[tail >> 2] * DESCRIPTOR_SIZE;
    }

    /** The tail names a descriptor of the ring. */
    public boolean tailInsideRing(int[] regs) {
        return Integer.compareUnsigned(regs[tail >> 2], descriptors(regs)) < 0;
    }

    /** The head lies outside the ring (the head-out-of-range faults put it there). */
    public boolean headOutsideRing(int[] regs) {
        return Integer.compareUnsigned(regs[head >> 2], descriptors(regs)) >= 0 && descriptors(regs) > 0;
    }

    /** Puts the head {@code beyond} descriptors past the ring's end, as a device whose head left the ring. */
    public void headPastEnd(int[] regs, int beyond) {
        regs[head >> 2] = descriptors(regs) + beyond;
    }

    /** Moves the head one descriptor on, wrapping at the ring's length. */
    public void advance(int[] regs) {
        int h = regs[head >> 2] + 1;
        regs[head >> 2] = h * DESCRIPTOR_SIZE >= regs[len >> 2] ? 0 : h;
    }

    /** Descriptors the driver has handed over (E1000xRx#freeDescriptors). */
    public int free(int[] regs) {
        return E1000xRx.freeDescriptors(regs[head >> 2], regs[tail >> 2], descriptors(regs));
    }
}
