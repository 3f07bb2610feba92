package io.nicup.mock.intel;

/**
 * The Toeplitz hash the Intel chips compute for receive-side scaling, bit by bit as the datasheets draw
 * it (82576 datasheet 7.1.2.8; docs/hardware-reference.md B.16): for every bit of the input, most
 * significant bit of the first byte first, a set bit XORs into the result the 32 key bits that start at
 * that bit's position. The key is the 40 bytes of RSSRK0-9, byte 0 in bits 7:0 of RSSRK0.
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

    /** The hash of {@code length} bytes of {@code input} under {@code key}. */
    public static int hash(byte[] key, byte[] input, int length) {
        int result = 0;
        for (int bit = 0; bit < 8 * length; bit++) {
            if ((input[bit >>> 3] & 0x80 >>> (bit & 7)) != 0) {
                result ^= keyWindow(key, bit);
            }
        }
        return result;
    }

    /** The 32 key bits starting at bit {@code first}; bits past the key's end are zero. */
    private static int keyWindow(byte[] key, int first) {
        int from = first >>> 3;
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = bits << 8 | (from + i < key.length ? key[from + i] & 0xFF : 0);
        }
        return (int) (bits >>> 8 - (first & 7));
    }
}
