package io.nicup.mock.e82574;

import java.util.HexFormat;

/** Builds Ethernet frames (no FCS) for tests. */
final class Frames {

    static final byte[] BROADCAST = mac("ff:ff:ff:ff:ff:ff");
    static final byte[] PEER = mac("02:00:00:00:00:99");

    private Frames() {
    }

    static byte[] mac(String text) {
        return HexFormat.ofDelimiter(":").parseHex(text);
    }

    /** A frame of {@code length} bytes to {@code dst} from {@link #PEER}, ethertype 0x88B5, payload byte i = seed + i. */
    static byte[] frame(byte[] dst, int length, int seed) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(PEER, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seed + i);
        }
        return f;
    }

    /** Ethernet FCS of {@code frame}: CRC-32, transmitted low byte first. */
    static byte[] fcs(byte[] frame) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(frame);
        int c = (int) crc.getValue();
        return new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)};
    }

    /**
     * The MTA bit for a multicast address as Linux computes it ({@code e1000_hash_mc_addr_generic},
     * drivers/net/ethernet/intel/e1000e/mac.c): for filter type 0 the hash is bits 47:36 of the address
     * ({@code addr[4] >> 4 | addr[5] << 4}), type 1 bits 46:35, type 2 bits 45:34, type 3 bits 43:32.
     */
    static int linuxMtaHash(byte[] addr, int filterType) {
        int a4 = addr[4] & 0xFF;
        int a5 = addr[5] & 0xFF;
        int hash = switch (filterType) {
            case 0 -> (a4 >> 4) | (a5 << 4);
            case 1 -> (a4 >> 3) | (a5 << 5);
            case 2 -> (a4 >> 2) | (a5 << 6);
            default -> a4 | (a5 << 8);
        };
        return hash & 0xFFF;
    }
}
