package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.InterruptCharacteristics;
import io.nicup.ndis.adapter.IsrResult;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisTimer;
import io.nicup.ndis.miniport.core.AdapterReleases;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.vfio.InterruptMode;

/**
 * How one adapter learns of the device's events. MSI-X vector {@value VirtioQueues#VECTOR_CONFIG}
 * configuration change (link, DEVICE_NEEDS_RESET), {@value VirtioQueues#VECTOR_RX} receiveq1,
 * {@value VirtioQueues#VECTOR_TX} transmit, {@value VirtioQueues#VECTOR_CTRL} control queue, 3 + k receive
 * queue k (each receive queue's DPC services that queue alone, docs/ndis-contract.md §21); this object
 * is the MiniportInterruptContext. Without MSI-X (InterruptMode=4, too few vectors, or vectors the device
 * refused) a 1 ms NDIS timer services the queues and reads ISR status for configuration changes.
 */
final class VirtioInterrupts {

    static final long POLL_PERIOD_NANOS = 1_000_000L;
    /** ISR status bit 1: a configuration change (4.1.4.5). */
    private static final int ISR_CONFIG = 0x2;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final VirtioDevice device;
    private final NdisDataPath dataPath;
    private final VirtioLink link;
    private final DeviceHealth health;
    private NdisInterruptHandle interrupt;
    private NdisTimer pollTimer;
    /** The interrupt mode in use, or null when polling. */
    InterruptMode mode;
    /** Why the adapter polls although MSI-X was available, or null. */
    String pollingReason;
    /** The receive queues, each with its vector under MSI-X. */
    private int receiveQueues = 1;
    /** Vectors any ISR saw, as a bit mask (for the interrupt self-test). */
    volatile long observedVectors;

    VirtioInterrupts(Ndis ndis, NdisAdapterHandle handle, VirtioDevice device, NdisDataPath dataPath,
            VirtioLink link, DeviceHealth health) {
        this.ndis = ndis;
        this.handle = handle;
        this.device = device;
        this.dataPath = dataPath;
        this.link = link;
        this.health = health;
    }

    /**
     * MSI-X with one vector per event when the configuration allows it and the device offers enough;
     * else the poll timer. InterruptMode=1 (MSI-X only) fails initialization instead of polling.
     */
    void register(VirtioNetConfig config, InitParameters params, int receiveQueues) {
        int wanted = config.interruptMode();
        int messages = VirtioQueues.messages(receiveQueues);
        this.receiveQueues = receiveQueues;
        if (wanted != VirtioNetConfig.MODE_POLLING && params.allocatedResources().interrupts().stream()
                .anyMatch(r -> r.mode() == InterruptMode.MSIX && r.messageCount() >= messages)) {
            InterruptCharacteristics<VirtioInterrupts> ic = new InterruptCharacteristics<VirtioInterrupts>()
                    .allHandlers(VirtioInterrupts::isr, VirtioInterrupts::dpc, VirtioInterrupts::enable,
                            VirtioInterrupts::disable)
                    .msiSupported(true).interruptMode(InterruptMode.MSIX).messageCount(messages);
            try {
                interrupt = ndis.NdisMRegisterInterruptEx(handle, this, ic);
                mode = interrupt.mode();
                return;
            } catch (NdisStatusException e) {
                if (wanted == VirtioNetConfig.MODE_MSIX) {
                    throw e;
                }
            }
        } else if (wanted == VirtioNetConfig.MODE_MSIX) {
            throw new VirtioInitException("InterruptMode=1 (MSI-X) but the device offers fewer than "
                    + messages + " MSI-X vectors: resources=" + params.allocatedResources().interrupts());
        }
        mode = null;
        pollTimer = ndis.NdisAllocateTimerObject(handle, VirtioInterrupts::pollTimerFired, this);
    }

    boolean msix() {
        return mode == InterruptMode.MSIX;
    }

    /**
     * The device could not take the vectors: rather than miss its events, give the interrupt back and
     * poll on the 1 ms timer (still before DRIVER_OK). The caller tells the device NO_VECTOR.
     */
    void fallBackToPolling(String reason) {
        pollingReason = reason;
        ndis.NdisMDeregisterInterruptEx(interrupt);
        interrupt = null;
        mode = null;
        pollTimer = ndis.NdisAllocateTimerObject(handle, VirtioInterrupts::pollTimerFired, this);
    }

    /** MiniportRestartEx: polling starts. */
    void start() {
        if (pollTimer != null) {
            ndis.NdisSetTimerObject(pollTimer, POLL_PERIOD_NANOS, POLL_PERIOD_NANOS);
        }
    }

    /** MiniportPause: polling stops. */
    void stop() {
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
        }
    }

    /** MiniportHaltEx: the interrupt first, before the device is stopped. */
    void deregister() {
        interrupt = AdapterReleases.deregister(ndis, interrupt);
    }

    /** The interrupt and the poll timer go back. */
    void release() {
        deregister();
        pollTimer = AdapterReleases.free(ndis, pollTimer);
    }

    IsrResult isr(int messageId) {
        if (health.removed()) {
            return IsrResult.NOT_RECOGNIZED;                 // nothing of ours can interrupt any more
        }
        observedVectors |= 1L << messageId;
        return IsrResult.QUEUE_DPC;
    }

    void dpc(int messageId) {
        if (health.removed()) {
            return;
        }
        switch (messageId) {
            case VirtioQueues.VECTOR_CONFIG -> link.configChanged();
            case VirtioQueues.VECTOR_TX -> dataPath.serviceTx();
            case VirtioQueues.VECTOR_CTRL -> { }             // control queue: commands are waited for in place
            default -> {
                int k = VirtioQueues.queueOfVector(messageId, receiveQueues);
                if (k >= 0) {
                    dataPath.serviceRx(k);
                }
            }
        }
    }

    void enable(int messageId) {
        // nothing to do: the driver never suppresses the device's interrupts (VRING_AVAIL_F_NO_INTERRUPT stays 0)
    }

    void disable(int messageId) {
        // as enable
    }

    /** Polling: the queues, and ISR status for configuration changes (the read clears it). */
    void pollTimerFired() {
        if (health.removed()) {
            return;
        }
        VirtioTransport transport = device.transport;
        // bits 2-7 are reserved (docs/hardware-reference.md C.8): only bit 1 is acted on, and a configuration
        // change the device claims on every read costs a validated device_status and link read, nothing more
        int isr = transport.readIsr();
        dataPath.serviceTx();
        dataPath.serviceRx();
        if (isr != 0xFF && (isr & ISR_CONFIG) != 0) {
            link.configChanged();
        } else if (isr == 0xFF && transport.status() == 0xFF) {
            link.configChanged();
        }
    }
}
