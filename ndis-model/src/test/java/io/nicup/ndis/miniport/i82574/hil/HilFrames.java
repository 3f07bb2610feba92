package io.nicup.ndis.miniport.i82574.hil;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The frames both sides of the 82574L HIL suite agree on, and the hex line format of the result files. */
public final class HilFrames {

    public static final int COUNT = 8;
    /** Where the guest sends to: a locally administered unicast address nobody has. */
    public static final byte[] PEER = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

    private HilFrames() {
    }

    /** Frame {@code i} the guest transmits: PEER <- mac, lengths 60..1514. */
    public static byte[] tx(int i, byte[] mac) {
        return frame(PEER, mac, i == COUNT - 1 ? 1514 : 60 + 97 * i, 0x100 + i);
    }

    /** Frame {@code i} the host injects: mac <- PEER. */
    public static byte[] rx(int i, byte[] mac) {
        return frame(mac, PEER, i == COUNT - 1 ? 1514 : 64 + 101 * i, 0x200 + i);
    }

    public static List<byte[]> txAll(byte[] mac) {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            l.add(tx(i, mac));
        }
        return l;
    }

    public static List<byte[]> rxAll(byte[] mac) {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            l.add(rx(i, mac));
        }
        return l;
    }

    static byte[] frame(byte[] dst, byte[] src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 7 + i * 13);
        }
        f[14] = (byte) (seq >>> 8);
        f[15] = (byte) seq;
        return f;
    }

    public static byte[] mac(String text) {
        return HexFormat.of().parseHex(text.replace(":", "").replace("-", ""));
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    public static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s.strip());
    }
}
