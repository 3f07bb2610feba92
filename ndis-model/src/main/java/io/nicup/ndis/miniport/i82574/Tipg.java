package io.nicup.ndis.miniport.i82574;

/**
 * Fields of {@link Regs82574#TIPG} (Transmit Inter-Packet Gap). Source: docs/hardware-reference.md B.3, B.9 (Linux
 * {@code DEFAULT_82543_TIPG_*}); {@link #DEFAULT} is also QEMU's reset value.
 */
public final class Tipg {

    private Tipg() {
    }

    public static final int IPGT_SHIFT = 0;
    public static final int IPGR1_SHIFT = 10;
    public static final int IPGR2_SHIFT = 20;
    /** IPGT 8 | IPGR1 8 &lt;&lt; 10 | IPGR2 6 &lt;&lt; 20. */
    public static final int DEFAULT = 8 << IPGT_SHIFT | 8 << IPGR1_SHIFT | 6 << IPGR2_SHIFT;
}
