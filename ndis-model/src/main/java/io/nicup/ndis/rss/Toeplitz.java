package io.nicup.ndis.rss;

/**
 * The RSS hash NdisHashFunctionToeplitz in software: the reference a NIC's hash (and the queue it picks)
 * is checked against (docs/ndis-contract.md §10.2), proven on Microsoft's verification data
 * (docs/ndis-contract.md §10.3).
 *
 * <p>The function, as WDD {@code rss-hashing-functions} defines it: for every input bit from the left,
 * when the bit is 1 the result is XORed with the leftmost 32 bits of the key, and the key shifts left one
 * bit. The input is the source address, the destination address and, for a hash with ports, the source
 * port and the destination port, each in network byte order as it stands in the packet.
 *
 * <p>One instance per key. The constructor folds the key into a table of 32-bit contributions, one per
 * input byte position and byte value ({@code 36 × 256} ints, 36 KiB), so a hash is one table load and one
 * XOR per input byte: no allocation, no lock, no branch per bit. Instances are immutable and may be
 * shared between threads.
 */
public final class Toeplitz {

    /** The key length the NDIS Toeplitz hash uses: 40 bytes (320 bits) (docs/ndis-contract.md §10.2). */
    public static final int KEY_LENGTH = 40;
    /** The longest input: two IPv6 addresses and two ports. */
    public static final int MAX_INPUT = 2 * 16 + 2 * 2;

    /** contribution[i * 256 + b]: what byte value b at input position i XORs into the result. */
    private final int[] contribution = new int[MAX_INPUT * 256];

    /**
     * @param key the secret key, {@link #KEY_LENGTH} bytes (shorter keys are padded with zero bits, as
     *     the function reads key bits past the end as zero)
     * @throws IllegalArgumentException for a key longer than {@link #KEY_LENGTH}
     */
    public Toeplitz(byte[] key) {
        if (key.length > KEY_LENGTH) {
            throw new IllegalArgumentException("Toeplitz key too long: bytes=" + key.length + " max=" + KEY_LENGTH);
        }
        for (int position = 0; position < MAX_INPUT; position++) {
            int[] windows = new int[8];
            for (int bit = 0; bit < 8; bit++) {
                windows[bit] = window(key, position * 8 + bit);
            }
            for (int value = 0; value < 256; value++) {
                int c = 0;
                for (int bit = 0; bit < 8; bit++) {
                    if ((value & (0x80 >>> bit)) != 0) {
                        c ^= windows[bit];
                    }
                }
                contribution[position * 256 + value] = c;
            }
        }
    }

    /** The 32 key bits starting at bit {@code first} (bit 0 is the most significant bit of key[0]). */
    private static int window(byte[] key, int first) {
        int w = 0;
        for (int i = 0; i < 32; i++) {
            int bit = first + i;
            int byteIndex = bit >>> 3;
            int b = byteIndex < key.length ? (key[byteIndex] >>> (7 - (bit & 7))) & 1 : 0;
            w = (w << 1) | b;
        }
        return w;
    }

    /** The hash of {@code length} input bytes from {@code offset} (at most {@link #MAX_INPUT}). */
    public int hash(byte[] input, int offset, int length) {
        if (length > MAX_INPUT) {
            throw new IllegalArgumentException("Toeplitz input too long: bytes=" + length + " max=" + MAX_INPUT);
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h ^= contribution[i * 256 + (input[offset + i] & 0xFF)];
        }
        return h;
    }

    /** NDIS_HASH_IPV4: source then destination address, each as the packet carries it (big-endian). */
    public int ipv4(int sourceAddress, int destinationAddress) {
        return word(0, sourceAddress) ^ word(4, destinationAddress);
    }

    /** NDIS_HASH_TCP_IPV4 (and UDP_IPV4): the addresses, then source and destination port. */
    public int ipv4(int sourceAddress, int destinationAddress, int sourcePort, int destinationPort) {
        return ipv4(sourceAddress, destinationAddress) ^ ports(8, sourcePort, destinationPort);
    }

    /**
     * NDIS_HASH_IPV6: the 16-byte source address at {@code sourceOffset} of {@code source}, then the
     * destination address (both may be the same array, a received frame).
     */
    public int ipv6(byte[] source, int sourceOffset, byte[] destination, int destinationOffset) {
        int h = 0;
        for (int i = 0; i < 16; i++) {
            h ^= contribution[i * 256 + (source[sourceOffset + i] & 0xFF)];
            h ^= contribution[(16 + i) * 256 + (destination[destinationOffset + i] & 0xFF)];
        }
        return h;
    }

    /** NDIS_HASH_TCP_IPV6 (and UDP_IPV6): the addresses, then source and destination port. */
    public int ipv6(byte[] source, int sourceOffset, byte[] destination, int destinationOffset, int sourcePort,
            int destinationPort) {
        return ipv6(source, sourceOffset, destination, destinationOffset) ^ ports(32, sourcePort, destinationPort);
    }

    private int word(int position, int value) {
        return contribution[position * 256 + (value >>> 24)]
                ^ contribution[(position + 1) * 256 + ((value >>> 16) & 0xFF)]
                ^ contribution[(position + 2) * 256 + ((value >>> 8) & 0xFF)]
                ^ contribution[(position + 3) * 256 + (value & 0xFF)];
    }

    private int ports(int position, int sourcePort, int destinationPort) {
        return word(position, ((sourcePort & 0xFFFF) << 16) | (destinationPort & 0xFFFF));
    }
}
