package io.nicup.vfio;

/** Config spaces built byte by byte for decoder and {@code nicup info} tests. */
public final class ConfigSpaceFixtures {

    private ConfigSpaceFixtures() {
    }

    /** A PCIe endpoint 8086:10d3 with PM at 0x40, PCIe at 0x50 (-> MSI-X at 0x70), AER at 0x100, DSN at 0x140. */
    public static byte[] endpoint() {
        byte[] b = new byte[4096];
        put16(b, 0x00, 0x8086);
        put16(b, 0x02, 0x10d3);
        put16(b, 0x06, 0x0010);                 // capabilities list
        put32(b, 0x08, 0x02000000);             // class 020000
        b[0x34] = 0x40;
        b[0x40] = 0x01;                         // PM
        b[0x41] = 0x50;
        put16(b, 0x42, 0x0003);
        b[0x50] = 0x10;                         // PCI Express v2 endpoint
        b[0x51] = 0x70;
        put16(b, 0x52, 0x0002);
        put32(b, 0x54, 0x00000001);             // DevCap: max payload 256
        put16(b, 0x58, 0x2010);                 // DevCtl: payload 128, read request 512
        put16(b, 0x5A, 0x0011);                 // DevSta: CorrErr, AuxPwr
        put32(b, 0x5C, 0x00000C12);             // LnkCap: 5GT/s x1, ASPM L0s L1 supported
        put16(b, 0x60, 0x0002);                 // LnkCtl: ASPM L1
        put16(b, 0x62, 0x2011);                 // LnkSta: 2.5GT/s x1, DLL link active
        put16(b, 0x80, 0x0002);                 // LnkCtl2 (0x50 + 0x30): target 5GT/s
        b[0x70] = 0x11;                         // MSI-X, 5 entries
        put16(b, 0x72, 0x0004);
        put32(b, 0x74, 0x00000003);
        put32(b, 0x78, 0x00002003);
        put32(b, 0x100, 0x14010001);            // AER v1, next 0x140
        put32(b, 0x104, 0x00100000);            // UESta: UnsupReq
        put32(b, 0x108, 0x00400000);            // UEMsk: UncorrIntErr
        put32(b, 0x10C, 0x00062030);            // UESvrt: DLP SDES FCP RxOF MalfTLP
        put32(b, 0x110, 0x00000041);            // CESta: RxErr BadTLP
        put32(b, 0x114, 0x00002000);            // CEMsk: AdvNonFatalErr
        put32(b, 0x140, 0x00010003);            // DSN, last
        put32(b, 0x144, 0x33445566);
        put32(b, 0x148, 0x00112233);
        return b;
    }

    public static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    public static void put32(byte[] b, int off, int v) {
        put16(b, off, v);
        put16(b, off + 2, v >>> 16);
    }
}
