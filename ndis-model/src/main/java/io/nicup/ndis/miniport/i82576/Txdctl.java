package io.nicup.ndis.miniport.i82576;

/** TXDCTL of a transmit queue (82576 datasheet 8.12.x; Linux igb E1000_TXDCTL_*). */
public final class Txdctl {
    private Txdctl() {
    }

    public static final int PTHRESH_SHIFT = 0;
    public static final int HTHRESH_SHIFT = 8;
    public static final int WTHRESH_SHIFT = 16;
    /** Queue enable: QEMU transmits only from a queue with this bit (igb_tx_enabled). */
    public static final int ENABLE = 0x0200_0000;
    public static final int SWFLSH = 0x0400_0000;

    /** Thresholds as Linux igb sets them (prefetch 8, host 1) with write-back per descriptor (1). */
    public static final int THRESHOLDS = 8 << PTHRESH_SHIFT | 1 << HTHRESH_SHIFT | 1 << WTHRESH_SHIFT;
}
