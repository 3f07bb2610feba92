package io.nicup.ndis.miniport.i82574;

/**
 * Bits of {@link Regs82574#RCTL} (Receive Control). Source: docs/hardware-reference.md B.3, QEMU e1000_regs.h l.711-748.
 * The buffer size is {@code BSIZE} (bits 17:16), scaled by 16 with {@link #BSEX}; QEMU splits a larger
 * frame over several descriptors with EOP only on the last (docs/hardware-reference.md B.7 item 7).
 */
public final class Rctl {

    private Rctl() {
    }

    /** Receiver enable. */
    public static final int EN = 0x0000_0002;
    /** Store bad packets. */
    public static final int SBP = 0x0000_0004;
    /** Unicast promiscuous. */
    public static final int UPE = 0x0000_0008;
    /** Multicast promiscuous. */
    public static final int MPE = 0x0000_0010;
    /** Long packet enable. */
    public static final int LPE = 0x0000_0020;
    /** Loopback mode: MAC loopback. */
    public static final int LBM_MAC = 0x0000_0040;
    /** Loopback mode: transceiver loopback. */
    public static final int LBM_TCVR = 0x0000_00C0;
    public static final int RDMTS_HALF = 0x0000_0000;
    public static final int RDMTS_QUAT = 0x0000_0100;
    public static final int RDMTS_EIGTH = 0x0000_0200;
    /** Descriptor type (bits 11:10): 0 = legacy. */
    public static final int DTYP_MASK = 0x0000_0C00;
    /** Descriptor type packet split. */
    public static final int DTYP_PS = 0x0000_0400;
    /** Multicast offset (bits 13:12). */
    public static final int MO_SHIFT = 12;
    /** Broadcast accept mode. */
    public static final int BAM = 0x0000_8000;
    /** Buffer size field (bits 17:16). */
    public static final int BSIZE_MASK = 0x0003_0000;
    /** 2048-byte buffers (BSIZE 0, BSEX 0). */
    public static final int SZ_2048 = 0x0000_0000;
    public static final int SZ_1024 = 0x0001_0000;
    public static final int SZ_512 = 0x0002_0000;
    public static final int SZ_256 = 0x0003_0000;
    /** VLAN filter enable. */
    public static final int VFE = 0x0004_0000;
    /** Buffer size extension: BSIZE 0x10000 = 16384, 0x20000 = 8192, 0x30000 = 4096. */
    public static final int BSEX = 0x0200_0000;
    public static final int SZ_16384 = BSEX | 0x0001_0000;
    public static final int SZ_8192 = BSEX | 0x0002_0000;
    public static final int SZ_4096 = BSEX | 0x0003_0000;
    /** Strip the Ethernet CRC. Without it QEMU adds 4 zero bytes to every length (docs/hardware-reference.md B.6). */
    public static final int SECRC = 0x0400_0000;
    public static final int FLXBUF_MASK = 0x7800_0000;

    /**
     * The RCTL size bits for a receive buffer of {@code bytes}.
     *
     * @throws IllegalArgumentException when the 82574L has no such buffer size
     */
    public static int bufferSizeBits(int bytes) {
        return switch (bytes) {
            case 256 -> SZ_256;
            case 512 -> SZ_512;
            case 1024 -> SZ_1024;
            case 2048 -> SZ_2048;
            case 4096 -> SZ_4096;
            case 8192 -> SZ_8192;
            case 16384 -> SZ_16384;
            default -> throw new IllegalArgumentException(
                    "no RCTL buffer size for bufferSize=" + bytes + ": use 256, 512, 1024, 2048, 4096, 8192 or 16384");
        };
    }
}
