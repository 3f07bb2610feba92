package io.nicup.cli;

/** The Internet checksum (RFC 1071): the ones'-complement sum of 16-bit big-endian words. */
final class InternetChecksum {

    private InternetChecksum() {
    }

    /**
     * The folded 16-bit ones'-complement sum of {@code length} bytes at {@code offset} (an odd last byte
     * padded with zero), added to {@code initial}; the checksum field is its complement.
     */
    static int sum(byte[] data, int offset, int length, long initial) {
        long sum = initial;
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += (data[i] & 0xFF) << 8 | data[i + 1] & 0xFF;
        }
        if (i < end) {
            sum += (data[i] & 0xFF) << 8;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
