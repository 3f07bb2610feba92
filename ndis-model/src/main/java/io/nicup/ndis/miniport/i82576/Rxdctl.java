package io.nicup.ndis.miniport.i82576;

/** RXDCTL of a receive queue (82576 datasheet 8.10.x; Linux igb E1000_RXDCTL_*). */
public final class Rxdctl {
    private Rxdctl() {
    }

    public static final int PTHRESH_SHIFT = 0;
    public static final int HTHRESH_SHIFT = 8;
    public static final int WTHRESH_SHIFT = 16;
    /** Queue enable: reads back as 1 once the queue is running; poll for it before bumping RDT. */
    public static final int ENABLE = 0x0200_0000;
    /** Software flush of the queue's descriptors. */
    public static final int SWFLSH = 0x0400_0000;

    /** Thresholds as Linux igb sets them (prefetch 8, host 8) with write-back threshold 1. */
    public static final int THRESHOLDS = 8 << PTHRESH_SHIFT | 8 << HTHRESH_SHIFT | 1 << WTHRESH_SHIFT;
}
