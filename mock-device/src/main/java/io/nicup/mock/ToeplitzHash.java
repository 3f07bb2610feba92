package io.nicup.mock;

/**
 * The Toeplitz hash of receive-side scaling, bit by bit as the datasheets and the virtio specification
 * draw it (82576 datasheet 7.1.2.8, docs/hardware-reference.md B.16; virtio 1.2 5.1.6.4.3,
 * docs/hardware-reference.md C.10): for every bit of the input, most significant bit of the first byte
 * first, a set bit XORs into the result the 32 key bits that start at that bit's position.
 *
 * <p>Shared by every simulated NIC that hashes (the Intel chips and virtio-net), and written apart from
 * ndis-model's table-driven {@code io.nicup.ndis.rss.Toeplitz}, so that each can judge the other; proven
 * on Microsoft's verification vectors (docs/ndis-contract.md §10.3).
 */
public final class ToeplitzHash {

    private ToeplitzHash() {
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
