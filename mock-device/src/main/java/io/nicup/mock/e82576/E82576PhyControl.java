package io.nicup.mock.e82576;

import io.nicup.mock.intel.IntelLink;
import io.nicup.mock.intel.IntelMdic;

/**
 * PHY writes through MDIC on the 82576 (QEMU igb_set_mdic): BMCR is intercepted: a PHY reset drops the
 * link until negotiation completes, RESTART_AN restarts autonegotiation, and forced speed and duplex
 * make the link follow the carrier (QEMU never sets LU without autonegotiation). Other registers are
 * stored as written.
 */
final class E82576PhyControl implements IntelMdic.Chip {

    private final Phy phy;
    private final IntelLink link;
    private final E82576Interrupts interrupts;

    E82576PhyControl(Phy phy, IntelLink link, E82576Interrupts interrupts) {
        this.phy = phy;
        this.link = link;
        this.interrupts = interrupts;
    }

    @Override
    public void writePhy(int reg, int data) {
        if (reg != Phy.BMCR) {
            phy.set(reg, data);
            return;
        }
        boolean wasAutoneg = phy.autonegEnabled();
        phy.set(Phy.BMCR, data & ~(0x3F | Phy.BMCR_RESET | Phy.BMCR_ANRESTART));
        if ((data & Phy.BMCR_RESET) != 0) {
            phy.link(false);                   // a PHY reset drops the link until negotiation completes
            link.cancelAutoneg();
        }
        if (phy.autonegEnabled() && (data & Phy.BMCR_ANRESTART) != 0) {
            link.restartAutoneg();
        } else if (!phy.autonegEnabled() && (wasAutoneg || !phy.linkUp())) {
            link.cancelAutoneg();              // forced speed and duplex: the link follows the carrier
            phy.link(link.carrier());
        }
        link.refresh(true);
    }

    @Override
    public void mdicDone() {
        interrupts.raise(Regs.ICR, Regs.Icr.MDAC);
    }
}
