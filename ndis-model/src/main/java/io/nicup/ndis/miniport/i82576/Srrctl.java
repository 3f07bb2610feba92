package io.nicup.ndis.miniport.i82576;

/**
 * SRRCTL, Split and Replication Receive Control of a queue (82576 datasheet 8.10.x; Linux igb
 * E1000_SRRCTL_*): packet buffer size in KB (bits 6:0), header buffer size in 64-byte units (bits 11:8),
 * descriptor minimum threshold (bits 24:20, in 16 descriptors), descriptor type (bits 27:25), drop enable.
 */
public final class Srrctl {
    private Srrctl() {
    }

    public static final int BSIZEPKT_MASK = 0x0000_007F;
    /** BSIZEPKT is in KB: bytes {@code >>} 10. */
    public static final int BSIZEPKT_SHIFT = 10;
    public static final int BSIZEHDRSIZE_MASK = 0x0000_0F00;
    public static final int RDMTS_SHIFT = 20;
    public static final int DESCTYPE_MASK = 0x0E00_0000;
    /** Advanced descriptors, one buffer: the only receive format QEMU's igb writes. */
    public static final int DESCTYPE_ADV_ONEBUF = 0x0200_0000;
    /** Drop a frame when the queue has no descriptors, instead of holding it in the packet buffer. */
    public static final int DROP_EN = 0x8000_0000;

    /** SRRCTL for one-buffer advanced descriptors of {@code bufferBytes} (a multiple of 1 KB). */
    public static int oneBuffer(int bufferBytes) {
        return bufferBytes >> BSIZEPKT_SHIFT & BSIZEPKT_MASK | DESCTYPE_ADV_ONEBUF;
    }
}
