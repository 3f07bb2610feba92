package io.nicup.ndis.miniport.i82576;

/** EECD bits (82576 datasheet 8.2.3; Linux igb E1000_EECD_*). */
public final class Eecd {
    private Eecd() {
    }

    /** NVM present. */
    public static final int PRES = 0x0000_0100;
    /** NVM auto-read done: the chip loaded its configuration (MAC address into RAL0/RAH0) from the NVM. */
    public static final int AUTO_RD = 0x0000_0200;
}
