package io.nicup.mock.virtio;

import io.nicup.mock.MockInterrupts;
import io.nicup.mock.virtio.VirtioNetModel.Counter;
import io.nicup.vfio.InterruptMode;

/**
 * The virtio-net device's interrupts (virtio 1.2 4.1.4.5): a used buffer is signalled on its queue's
 * MSI-X vector, or with ISR bit 0 and INTx when MSI-X is off; a configuration change moves
 * config_generation and is signalled on config_msix_vector or with ISR bit 1. Reading the ISR clears
 * it and lowers INTx.
 */
final class VirtioInterrupts {

    private final VirtioCore core;
    private final MockInterrupts irq;
    private int isr;
    private int generation;
    /** config_msix_vector. */
    int configVector = 0xFFFF;

    VirtioInterrupts(VirtioCore core, MockInterrupts irq) {
        this.core = core;
        this.irq = irq;
    }

    int generation() {
        return generation;
    }

    /** The ISR status read: reading clears it and lowers INTx (4.1.4.5). */
    int readIsr() {
        int v = isr;
        isr = 0;
        irq.setIntxLevel(false);
        return v;
    }

    /** Device reset: no vector, nothing pending. */
    void reset() {
        configVector = 0xFFFF;
        isr = 0;
        irq.setIntxLevel(false);
    }

    void queueInterrupt(DeviceVirtqueue q) {
        if ((q.availFlags() & 1) != 0) {
            return;                                          // VRING_AVAIL_F_NO_INTERRUPT
        }
        core.count(Counter.QUEUE_INTERRUPTS);
        if (irq.activeMode() == InterruptMode.MSIX) {
            if (q.msixVector != 0xFFFF) {
                irq.msixNotify(q.msixVector);
            }
        } else {
            isr |= 1;
            irq.setIntxLevel(true);
        }
    }

    /** A configuration change: config_generation moves (4.1.4.3.1), then the interrupt. */
    void configChanged() {
        generation++;
        configInterrupt();
    }

    void configInterrupt() {
        core.count(Counter.CONFIG_INTERRUPTS);
        isr |= 2;
        if (irq.activeMode() == InterruptMode.MSIX) {
            if (configVector != 0xFFFF) {
                irq.msixNotify(configVector);
            }
        } else {
            irq.setIntxLevel(true);
        }
    }
}
