package io.nicup.ndis.miniport.i82576;

/** RAH bits (82576 datasheet 8.10.x; Linux igb E1000_RAH_*). */
public final class Rah {
    private Rah() {
    }

    /** Address valid. */
    public static final int AV = 0x8000_0000;
    /** Pool select bits 25:18 (VMDq; 0 here). */
    public static final int POOL_MASK = 0x03FC_0000;
}
