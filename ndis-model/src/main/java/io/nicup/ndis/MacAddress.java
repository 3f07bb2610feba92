package io.nicup.ndis;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;

/**
 * A 48-bit IEEE 802 MAC address, held in the low 48 bits of {@link #value()} in transmission order
 * (first octet most significant).
 */
public record MacAddress(long value) {

    public static final int LENGTH = 6;

    public MacAddress {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC address wider than 48 bits: value=0x" + Long.toHexString(value));
        }
    }

    public static MacAddress of(byte[] octets) {
        if (octets.length != LENGTH) {
            throw new IllegalArgumentException("MAC address needs 6 octets: length=" + octets.length);
        }
        long v = 0;
        for (byte b : octets) {
            v = (v << 8) | (b & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Reads 6 octets at {@code offset}. */
    public static MacAddress read(MemorySegment segment, long offset) {
        long v = 0;
        for (int i = 0; i < LENGTH; i++) {
            v = (v << 8) | (segment.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF);
        }
        return new MacAddress(v);
    }

    /**
     * Parses 12 hex digits, optionally separated by '-' or ':' between octets (the NetworkAddress
     * keyword's form "XX-XX-XX-XX-XX-XX, hyphens optional": WDD keywords-that-can-be-edited.md).
     *
     * @throws IllegalArgumentException when it is not such a string
     */
    public static MacAddress parse(String text) {
        String digits = text.trim().replace("-", "").replace(":", "");
        if (digits.length() != 12 || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not 12 hex digits: '" + text + "'");
        }
        return new MacAddress(Long.parseLong(digits, 16));
    }

    public byte[] bytes() {
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            b[i] = (byte) (value >>> (8 * (LENGTH - 1 - i)));
        }
        return b;
    }

    public void write(MemorySegment segment, long offset) {
        for (int i = 0; i < LENGTH; i++) {
            segment.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (value >>> (8 * (LENGTH - 1 - i))));
        }
    }

    /** The group bit (bit 0 of the first octet) is set. */
    public boolean isMulticast() {
        return (value & 0x0100_0000_0000L) != 0;
    }

    public boolean isBroadcast() {
        return value == 0xFFFF_FFFF_FFFFL;
    }

    public boolean isZero() {
        return value == 0;
    }

    /** Usable as a station address: not group, not all zero. */
    public boolean isValidUnicast() {
        return !isMulticast() && !isZero();
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(bytes());
    }
}
