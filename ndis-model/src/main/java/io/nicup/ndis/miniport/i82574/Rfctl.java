package io.nicup.ndis.miniport.i82574;

/**
 * Bits of {@link Regs82574#RFCTL} (Receive Filter Control). Source: docs/hardware-reference.md B.3, B.7 item 6,
 * B.18: {@link #EXTEN} set receives into the {@link ExtRxDescriptor extended descriptor}, which the driver
 * uses (as Linux e1000e); clear, into the {@link LegacyRxDescriptor legacy descriptor}.
 */
public final class Rfctl {

    private Rfctl() {
    }

    /** Extended RX descriptors. */
    public static final int EXTEN = 0x0000_8000;
}
