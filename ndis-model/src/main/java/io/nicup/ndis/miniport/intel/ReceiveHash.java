package io.nicup.ndis.miniport.intel;

import java.util.Arrays;

/**
 * The RSS hash a chip wrote back with a received frame, for the NBL's NetBufferListHashValue and
 * NetBufferListHashInfo (docs/ndis-contract.md §11). Read from the descriptor the frame came in after
 * {@link RxDescriptorRing#poll} took it and before the slot is refilled (a refill writes the buffer address
 * over the write-back). One load or two per frame, no allocation.
 */
public interface ReceiveHash {

    /** A chip that reports no hash: every frame's info is 0. */
    ReceiveHash NONE = new ReceiveHash() {
        @Override
        public int info(int slot) {
            return 0;
        }

        @Override
        public int value(int slot) {
            return 0;
        }

        @Override
        public void read(int first, int n, int mask, int[] infos, int[] values) {
            Arrays.fill(infos, 0, n, 0);
            Arrays.fill(values, 0, n, 0);
        }
    };

    /** NetBufferListHashInfo (the NDIS hash type with NdisHashFunctionToeplitz) of the frame in {@code slot}; 0 without a hash. */
    int info(int slot);

    /** NetBufferListHashValue of the frame in {@code slot}; meaningful only when {@link #info} is not 0. */
    int value(int slot);

    /**
     * {@link #info} and {@link #value} of the {@code n} frames from slot {@code first} on (slot
     * {@code (first + i) & mask}) into {@code infos[i]} and {@code values[i]}, the value 0 where the info is:
     * one call per poll, the loop the chip's own (docs/ndis-contract.md §19.4).
     */
    void read(int first, int n, int mask, int[] infos, int[] values);
}
