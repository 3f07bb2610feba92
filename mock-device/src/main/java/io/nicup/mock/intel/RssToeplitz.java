package io.nicup.mock.intel;

import io.nicup.mock.ToeplitzHash;

/**
 * The Toeplitz hash the Intel chips compute for receive-side scaling, bit by bit as the datasheets draw
 * it (82576 datasheet 7.1.2.8; docs/hardware-reference.md B.16), computed by the family-neutral
 * {@link ToeplitzHash}. The key is the 40 bytes of RSSRK0-9, byte 0 in bits 7:0 of RSSRK0.
 *
 * <p>Written from the datasheet, apart from the driver side's table-driven software reference, so that
 * each can judge the other; proven on Microsoft's verification vectors (docs/ndis-contract.md §10.3).
 */
public final class RssToeplitz {

    /** RSSRK0-9: 40 key bytes. */
    public static final int KEY_BYTES = 40;

    private RssToeplitz() {
    }

    /** Copies the key out of RSSRK0-9 at {@code rssrk0} in the register array into {@code key}. */
    public static void readKey(int[] regs, int rssrk0, byte[] key) {
        for (int i = 0; i < KEY_BYTES; i++) {
            key[i] = (byte) (regs[(rssrk0 >> 2) + (i >> 2)] >>> 8 * (i & 3));
        }
    }

    /** The hash of {@code length} bytes of {@code input} under {@code key} ({@link ToeplitzHash}). */
    public static int hash(byte[] key, byte[] input, int length) {
        return ToeplitzHash.hash(key, input, length);
    }
}
