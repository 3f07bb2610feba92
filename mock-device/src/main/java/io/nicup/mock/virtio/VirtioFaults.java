package io.nicup.mock.virtio;

import io.nicup.mock.VirtualClock;
import io.nicup.mock.virtio.VirtioNetModel.Counter;

import static io.nicup.mock.virtio.VirtioNetModel.IRQ_STORM_PERIOD_NANOS;
import static io.nicup.mock.virtio.VirtioNetModel.LINK_FLAP_DOWN_NANOS;

/**
 * The faults the virtio-net model fires from traffic, checked after every frame: link-flap drops
 * LINK_UP every N frames for {@link VirtioNetModel#LINK_FLAP_DOWN_NANOS}, each change a configuration
 * interrupt; tx-hang stops the transmit used ring; all-ones removes the device; irq-storm re-fires the
 * configuration interrupt every {@link VirtioNetModel#IRQ_STORM_PERIOD_NANOS}; device-needs-reset sets
 * DEVICE_NEEDS_RESET once.
 */
final class VirtioFaults {

    private final VirtioCore core;
    private final Runnable drainRx;
    private boolean stormOn;
    private boolean needsResetDone;
    private VirtualClock.Event flapEvent;
    private VirtualClock.Event stormEvent;

    /** @param drainRx delivers the frames waiting when the link returns */
    VirtioFaults(VirtioCore core, Runnable drainRx) {
        this.core = core;
        this.drainRx = drainRx;
    }

    /** A frame was sent or delivered: advance the traffic-triggered faults. */
    void frameEvent() {
        if (!core.flapDown && core.linkUp() && core.faults.flapDue(VirtioNetFault.LINK_FLAP)) {
            flap();
        }
        check();
    }

    /** Fires the faults whose counts are reached (also at power-on, for counts of 0). */
    void check() {
        if (core.faults.transmittedSinceReset(VirtioNetFault.TX_HANG)) {
            core.txHung = true;
        }
        if (core.faults.allFrames(VirtioNetFault.ALL_ONES)) {
            core.removed = true;
        }
        if (!stormOn && core.faults.allFrames(VirtioNetFault.IRQ_STORM)) {
            stormOn = true;
            stormTick();
        }
        if (!needsResetDone && core.driverOk() && core.faults.allFrames(VirtioNetFault.DEVICE_NEEDS_RESET)) {
            needsResetDone = true;
            core.signalNeedsReset("fault");
        }
    }

    private void stormTick() {
        if (!stormOn || core.removed) {
            return;
        }
        if (core.driverOk()) {
            core.interrupts.configInterrupt();
        }
        stormEvent = core.clock.schedule(IRQ_STORM_PERIOD_NANOS, "virtio-net irq-storm", this::stormTick);
    }

    private void flap() {
        core.count(Counter.LINK_FLAPS);
        core.flapDown = true;
        core.interrupts.configChanged();
        flapEvent = core.clock.schedule(LINK_FLAP_DOWN_NANOS, "virtio-net link-flap restore", () -> {
            core.flapDown = false;
            core.interrupts.configChanged();
            drainRx.run();
        });
    }

    /** The model closes: pending restore and storm end. */
    void close() {
        if (flapEvent != null) {
            flapEvent.cancel();
        }
        if (stormEvent != null) {
            stormEvent.cancel();
        }
        stormOn = false;
    }
}
