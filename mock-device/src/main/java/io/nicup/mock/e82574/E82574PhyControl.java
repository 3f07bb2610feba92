package io.nicup.mock.e82574;

import io.nicup.mock.intel.IntelLink;
import io.nicup.mock.intel.IntelMdic;

/**
 * PHY writes through MDIC on the 82574L: BMCR is intercepted (QEMU e1000e_set_phy_ctrl): RESET and
 * RESTART_AN self-clear and restart autonegotiation, like a real PHY (QEMU ignores RESET); turning
 * autonegotiation off forces the link to follow the carrier. Other registers are stored as written.
 */
final class E82574PhyControl implements IntelMdic.Chip {

    private final Phy phy;
    private final IntelLink link;
    private final E82574Interrupts interrupts;

    E82574PhyControl(Phy phy, IntelLink link, E82574Interrupts interrupts) {
        this.phy = phy;
        this.link = link;
        this.interrupts = interrupts;
    }

    @Override
    public void writePhy(int reg, int data) {
        if (reg != Phy.BMCR) {
            phy.write(reg, data);
            return;
        }
        boolean wasAutoneg = phy.autonegEnabled();
        // bits 5:0 reserved; RESET and RESTART_AN self-clear (QEMU e1000e_set_phy_ctrl)
        phy.set(Phy.BMCR, data & ~(0x3F | Phy.BMCR_RESET | Phy.BMCR_ANRESTART));
        boolean restart = (data & (Phy.BMCR_ANRESTART | Phy.BMCR_RESET)) != 0;
        if (phy.autonegEnabled() && restart) {
            link.restartAutoneg();
        } else if (wasAutoneg && !phy.autonegEnabled()) {
            // forced speed/duplex: link follows the carrier without negotiation
            link.cancelAutoneg();
            if (link.carrier()) {
                phy.link(true);
            }
        }
        link.refresh(true);
    }

    @Override
    public void mdicDone() {
        interrupts.setInterruptCause(Regs.Icr.MDAC);
    }
}
