package io.nicup.mock.intel;

import io.nicup.mock.VirtualClock;

/**
 * The faults the Intel models fire from traffic, checked after every frame that goes through the MAC:
 * link-flap drops the link every N frames, tx-hang stops transmit, all-ones removes the device, and
 * irq-storm makes LSC stick and re-signal every {@link IntelTiming#IRQ_STORM_PERIOD_NANOS}. How LSC is
 * signalled again is the chip's interrupt unit's business ({@link #IntelTrafficFaults(IntelCore,
 * IntelLink, Runnable) resignal}).
 */
public final class IntelTrafficFaults {

    private final IntelCore core;
    private final IntelLink link;
    private final Runnable resignal;
    private VirtualClock.Event stormEvent;

    /** @param resignal signals LSC afresh, as if it had just been raised */
    public IntelTrafficFaults(IntelCore core, IntelLink link, Runnable resignal) {
        this.core = core;
        this.link = link;
        this.resignal = resignal;
    }

    /** A frame went through the MAC (sent, looped or delivered): advance the traffic-triggered faults. */
    public void frameEvent() {
        if (!link.flapDown() && core.linkUp() && core.faults.flapDue(IntelFault.LINK_FLAP)) {
            link.flap();
        }
        check();
    }

    /** Fires the faults whose counts are reached (also at power-on, for counts of 0). */
    public void check() {
        if (core.faults.transmittedSinceReset(IntelFault.TX_HANG)) {
            core.txHung = true;
        }
        if (core.faults.allFrames(IntelFault.ALL_ONES)) {
            core.removed = true;
        }
        if (!core.stormOn && core.faults.allFrames(IntelFault.IRQ_STORM)) {
            core.stormOn = true;
            stormTick();
        }
    }

    private void stormTick() {
        if (!core.stormOn || core.removed) {
            return;
        }
        core.count(IntelCounter.IRQ_STORM_TICKS);
        resignal.run();
        stormEvent = core.clock.schedule(IntelTiming.IRQ_STORM_PERIOD_NANOS, core.name + " irq-storm", this::stormTick);
    }

    /** The model closes: the storm ends. */
    public void close() {
        IntelCore.cancel(stormEvent);
        core.stormOn = false;
    }
}
