package io.nicup.ndis.miniport.i82576;

/** TCTL bits (82576 datasheet 8.12.1; Linux igb E1000_TCTL_*). */
public final class Tctl {
    private Tctl() {
    }

    public static final int EN = 0x0000_0002;
    /** Pad short packets. */
    public static final int PSP = 0x0000_0008;
    public static final int CT_SHIFT = 4;
    public static final int CT_MASK = 0x0000_0FF0;
    public static final int COLD_SHIFT = 12;
    public static final int COLD_MASK = 0x003F_F000;
    /** Retransmit on late collision. */
    public static final int RTLC = 0x0100_0000;
    /** Linux {@code E1000_COLLISION_THRESHOLD}. */
    public static final int COLLISION_THRESHOLD = 15;
    /** Linux {@code E1000_COLLISION_DISTANCE} (full duplex). */
    public static final int COLLISION_DISTANCE = 63;
}
