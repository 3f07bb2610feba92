package io.nicup.ndis.miniport.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit ones' complement of the ones' complement sum of the data
 * as big-endian 16-bit words, an odd last byte padded with zero. A driver uses it where the device does
 * not: the IPv4 header checksum of a large send, a pseudo-header sum to complete, a partial checksum
 * received. Sums are carried in a {@code long} and folded once at the end; nothing allocates.
 */
public final class InternetChecksum {

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private InternetChecksum() {
    }

    /** {@code sum} plus the {@code length} bytes at {@code offset} as big-endian words. */
    public static long add(MemorySegment data, long offset, int length, long sum) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += data.get(BE16, offset + i) & 0xFFFF;
        }
        if (i < length) {
            sum += (data.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF) << 8;
        }
        return sum;
    }

    /** The sum folded to 16 bits (end-around carry), not complemented. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The checksum to store: the folded sum complemented. */
    public static int checksum(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** The big-endian 16-bit word at {@code offset}. */
    public static int word(MemorySegment data, long offset) {
        return data.get(BE16, offset) & 0xFFFF;
    }

    public static void putWord(MemorySegment data, long offset, int value) {
        data.set(BE16, offset, (short) value);
    }
}
