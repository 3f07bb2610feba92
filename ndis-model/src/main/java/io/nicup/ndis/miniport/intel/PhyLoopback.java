package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.NicDiagnostics;

/**
 * PHY loopback as {@link NicDiagnostics#loopback()} offers it, for both Intel families: BMCR.LOOPBACK at
 * 1000 Mb/s full duplex with the MAC forced to match (Linux {@code e1000_integrated_phy_loopback},
 * {@code igb_integrated_phy_loopback}). How the chip enters and leaves it is the family's hardware class.
 */
public final class PhyLoopback implements NicDiagnostics.Loopback {

    /** The family's steps into and out of PHY loopback. */
    public interface Control {
        void enterPhyLoopback();

        void leavePhyLoopback();
    }

    private final Control control;

    public PhyLoopback(Control control) {
        this.control = control;
    }

    @Override
    public String description() {
        return "PHY loopback (BMCR 0x4140, MAC forced to 1000 Mb/s full duplex)";
    }

    @Override
    public void enter() {
        control.enterPhyLoopback();
    }

    @Override
    public void leave() {
        control.leavePhyLoopback();
    }
}
