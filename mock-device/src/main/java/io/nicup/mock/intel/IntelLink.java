package io.nicup.mock.intel;

import io.nicup.mock.VirtualClock;

/**
 * Link behaviour of the Intel models: the carrier (cable, link-down fault, link-flap), autonegotiation
 * (QEMU e1000x_restart_autoneg: link down now, up 500 ms later), and STATUS.LU, which follows the PHY
 * link (or PHY loopback) and CTRL.SLU and raises LSC when it changes.
 */
public final class IntelLink {

    /** What a returning carrier and a completed negotiation do, as QEMU's two devices differ. */
    public enum Policy {
        /**
         * QEMU e1000e_core_set_link_status: only an unfinished negotiation restarts when the carrier
         * returns; frames held for descriptors wait for the next tail write.
         */
        E1000E(false, false),
        /**
         * QEMU igb_core_set_link_status: the carrier's return restarts negotiation even after it
         * completed, and its completion delivers the frames held (QEMU flushes its queue).
         */
        IGB(true, true);

        private final boolean renegotiatesOnCarrier;
        private final boolean drainsOnNegotiation;

        Policy(boolean renegotiatesOnCarrier, boolean drainsOnNegotiation) {
            this.renegotiatesOnCarrier = renegotiatesOnCarrier;
            this.drainsOnNegotiation = drainsOnNegotiation;
        }
    }

    private final IntelCore core;
    private final IntelPhy phy;
    private final Policy policy;
    private final Runnable linkStatusChanged;
    private final Runnable drainReceive;
    private boolean flapDown;
    private VirtualClock.Event autonegEvent;
    private VirtualClock.Event flapEvent;

    /**
     * @param linkStatusChanged raises LSC in the chip's interrupt unit
     * @param drainReceive delivers the frames the receive engine holds
     */
    public IntelLink(IntelCore core, IntelPhy phy, Policy policy, Runnable linkStatusChanged, Runnable drainReceive) {
        this.core = core;
        this.phy = phy;
        this.policy = policy;
        this.linkStatusChanged = linkStatusChanged;
        this.drainReceive = drainReceive;
    }

    /** The cable is in, the partner is there, and no fault holds the link down. */
    public boolean carrier() {
        return core.wire.linkUp() && !core.has(IntelFault.LINK_DOWN) && !flapDown;
    }

    /** STATUS.LU follows the PHY link (or PHY loopback) and CTRL.SLU; a change raises LSC when asked. */
    public void refresh(boolean raiseLsc) {
        IntelLayout l = core.layout;
        boolean up = (phy.linkUp() || phy.loopback()) && (core.reg(l.ctrl()) & l.ctrlSlu()) != 0;
        if (up != core.linkUp()) {
            core.regs[l.status() >> 2] ^= l.statusLu();
            if (raiseLsc) {
                linkStatusChanged.run();
            }
        }
    }

    /** The PHY lost its link: negotiation is undone. */
    public void lost() {
        cancelAutoneg();
        phy.link(false);
        phy.negotiated(false);
        refresh(true);
    }

    /** Link down now, up after {@link IntelTiming#AUTONEG_NANOS} if the carrier is there then. */
    public void restartAutoneg() {
        lost();
        autonegEvent = core.clock.schedule(IntelTiming.AUTONEG_NANOS, core.name + " autonegotiation done",
                this::autonegDone);
    }

    public void cancelAutoneg() {
        IntelCore.cancel(autonegEvent);
    }

    private void autonegDone() {
        if (!carrier()) {
            return;
        }
        phy.link(true);
        phy.negotiated(true);
        refresh(true);
        if (policy.drainsOnNegotiation) {
            drainReceive.run();
        }
    }

    /** The carrier came back (QEMU e1000e/igb_core_set_link_status). */
    public void carrierReturned() {
        if (!carrier()) {
            return;
        }
        if (phy.autonegEnabled() && (policy.renegotiatesOnCarrier || !phy.negotiated())) {
            restartAutoneg();
        } else {
            phy.link(true);
            refresh(true);
        }
    }

    /** The cable was plugged or pulled. */
    public void wireChanged(boolean up) {
        if (core.removed) {
            return;
        }
        if (up) {
            carrierReturned();
        } else {
            lost();
        }
    }

    /** The link-flap fault: the link drops now and the carrier returns {@link IntelTiming#LINK_FLAP_DOWN_NANOS} later. */
    public void flap() {
        core.count(IntelCounter.LINK_FLAPS);
        flapDown = true;
        lost();
        flapEvent = core.clock.schedule(IntelTiming.LINK_FLAP_DOWN_NANOS, core.name + " link-flap restore", () -> {
            flapDown = false;
            carrierReturned();
        });
    }

    public boolean flapDown() {
        return flapDown;
    }

    /** A device reset: pending negotiation and flap end. */
    public void reset() {
        cancelAutoneg();
        IntelCore.cancel(flapEvent);
        flapDown = false;
    }
}
