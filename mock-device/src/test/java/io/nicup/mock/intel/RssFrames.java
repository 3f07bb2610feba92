package io.nicup.mock.intel;

import java.nio.ByteBuffer;

/** Frames of Microsoft's RSS verification flows ({@link RssToeplitzTest#VECTORS}) for the chips' RSS tests. */
public final class RssFrames {

    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int ICMP = 1;

    private RssFrames() {
    }

    /**
     * An Ethernet frame from {@code peer} to {@code mac} with the IPv4 or IPv6 addresses of {@code row}, an
     * {@code proto} header (20 bytes for TCP, 8 else) with the row's ports, 16 bytes of payload; the IPv4
     * identification is {@code 0x1234}.
     */
    public static byte[] frame(byte[] mac, byte[] peer, Object[] row, int proto) {
        byte[] src = RssToeplitzTest.address(row[2]);
        byte[] dst = RssToeplitzTest.address(row[0]);
        boolean v6 = src.length == 16;
        int l3 = v6 ? 40 : 20;
        int l4 = proto == TCP ? 20 : 8;
        ByteBuffer f = ByteBuffer.allocate(14 + l3 + l4 + 16);
        f.put(mac).put(peer).putShort((short) (v6 ? 0x86DD : 0x0800));
        if (v6) {
            f.putInt(0x6000_0000).putShort((short) (l4 + 16)).put((byte) proto).put((byte) 64).put(src).put(dst);
        } else {
            f.put((byte) 0x45).put((byte) 0).putShort((short) (l3 + l4 + 16)).putShort((short) 0x1234)
                    .putShort((short) 0).put((byte) 64).put((byte) proto).putShort((short) 0).put(src).put(dst);
        }
        f.putShort((short) (int) row[3]).putShort((short) (int) row[1]);
        return f.array();
    }
}
