package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The frames the checks send and inject: Ethernet II with the local experimental ethertype 0x88B5 (IEEE
 * 802 local use), a sequence number in the first four payload bytes and a pattern after it, so a frame
 * that arrives is known by its number and checked byte for byte.
 */
public final class Frames {

    public static final int ETHERTYPE = 0x88B5;
    public static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");

    private Frames() {
    }

    /** A frame of {@code length} (at least 14) bytes; the sequence number needs 18. */
    public static byte[] frame(MacAddress dst, MacAddress src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        f[12] = (byte) (ETHERTYPE >>> 8);
        f[13] = (byte) ETHERTYPE;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        if (length >= 18) {
            f[14] = (byte) (seq >>> 24);
            f[15] = (byte) (seq >>> 16);
            f[16] = (byte) (seq >>> 8);
            f[17] = (byte) seq;
        }
        return f;
    }

    public static List<byte[]> frames(MacAddress dst, MacAddress src, int count, int length, int firstSeq) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(frame(dst, src, length, firstSeq + i));
        }
        return out;
    }

    /** The sequence number of a frame {@link #frame} made, or -1 for any other frame. */
    public static int seq(byte[] f) {
        if (f.length < 18 || (f[12] & 0xFF) != ETHERTYPE >>> 8 || (f[13] & 0xFF) != (ETHERTYPE & 0xFF)) {
            return -1;
        }
        return (f[14] & 0xFF) << 24 | (f[15] & 0xFF) << 16 | (f[16] & 0xFF) << 8 | f[17] & 0xFF;
    }

    /** Whether {@code received} is {@code sent} (a receive may carry up to 4 bytes of FCS more, or padding). */
    public static boolean same(byte[] sent, byte[] received) {
        return received.length >= sent.length && Arrays.equals(sent, 0, sent.length, received, 0, sent.length);
    }
}
