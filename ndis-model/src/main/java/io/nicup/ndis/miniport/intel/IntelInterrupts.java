package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.InterruptCharacteristics;
import io.nicup.ndis.adapter.IsrResult;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.adapter.NdisTimer;
import io.nicup.ndis.miniport.core.AdapterReleases;
import io.nicup.ndis.miniport.core.LinkIndications;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.vfio.InterruptMode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The interrupt side of an {@link IntelAdapter}: registration (MSI-X, MSI, INTx in the order the
 * {@code InterruptMode} keyword allows, or a 1 ms polling timer), MiniportInterrupt and
 * MiniportInterruptDPC, the link changes they and CheckForHang see, and the timer that turns the
 * receiver on after Restart where the chip asks for it. The ISR only collects causes (the chip decodes
 * and clears them); the DPC does the work.
 */
final class IntelInterrupts {

    static final long POLL_PERIOD_NANOS = 1_000_000L;
    /**
     * More link-change interrupts than this between two CheckForHang calls (2 s) is a storm, not a link:
     * autonegotiation takes well over 100 ms per change, so even a flapping cable gives a few dozen. A
     * cause that never clears (a stuck LSC) gives thousands; it is masked and the link is then followed
     * by CheckForHang's poll of STATUS.LU alone, as Linux e1000e's and igb's watchdogs do every 2 s.
     */
    static final int LINK_STORM_THRESHOLD = 1000;

    private static final VarHandle CAUSES;
    /** The causes the DPC reads from {@link #isrCauses}: the others are handled by the vector alone. */
    private static final int DPC_CAUSES = IntelCauses.LSC;

    static {
        try {
            CAUSES = MethodHandles.lookup().findVarHandle(IntelInterrupts.class, "isrCauses", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IntelAdapter<?> adapter;
    private final NdisDataPath dataPath;
    private final Ndis ndis;
    private NdisTimer pollTimer;
    private NdisInterruptHandle interrupt;
    /** Turns the receiver on once the adapter is Running, when the chip asks for a delay. */
    private NdisTimer rxStartTimer;
    /** The interrupt mode in use, or null when polling. */
    private InterruptMode mode;
    @SuppressWarnings("unused") // through CAUSES
    private volatile int isrCauses;
    /** Every cause any ISR saw, for the interrupt self-test. */
    volatile int observedCauses;
    /** Every MSI-X vector an ISR ran for since the last clear, for the interrupt self-test. */
    volatile int observedVectors;
    /** The receiver is on: set by Restart (or the receiver-start timer after it), cleared by pause. */
    private volatile boolean rxEnabled;
    /** The link as NDIS hears of it: restart, DPC changes (IND-01), what MiniportPause waits for. */
    private final LinkIndications link;
    /** Link-change causes the DPC saw since the last CheckForHang (storm detection). */
    private final AtomicInteger linkInterrupts = new AtomicInteger();
    /** Set once a link-change storm was detected: the link cause stays masked. */
    volatile boolean linkCauseMasked;

    IntelInterrupts(IntelAdapter<?> adapter) {
        this.adapter = adapter;
        this.dataPath = adapter.dataPath;
        this.ndis = adapter.ndis;
        this.link = new LinkIndications(ndis, adapter.handle, adapter.stateLock, dataPath, up -> up
                ? NdisLinkState.connected(adapter.hw.linkSpeed(), adapter.hw.fullDuplex()
                        ? MediaDuplexState.MediaDuplexStateFull : MediaDuplexState.MediaDuplexStateHalf)
                : NdisLinkState.disconnected());
    }

    InterruptMode mode() {
        return mode;
    }

    NdisInterruptHandle handle() {
        return interrupt;
    }

    boolean polling() {
        return pollTimer != null;
    }

    boolean receiverEnabled() {
        return rxEnabled;
    }

    /**
     * MiniportInitializeEx, before anything announces the receive queues: the interrupt (or the poll timer)
     * for the {@code planned} queues, with one MSI-X message each. Returns the queues the adapter can run:
     * {@code planned}, or 1 when NdisMRegisterInterruptEx fell back from MSI-X (the device offered the
     * messages but refused to arm them) or granted fewer messages, so that what the general attributes
     * announce and OID_GEN_RECEIVE_SCALE_CAPABILITIES answers is what runs (docs/ndis-contract.md §21).
     */
    int register(int planned) {
        if (adapter.chip.receiverStartDelayNanos() > 0) {
            rxStartTimer = ndis.NdisAllocateTimerObject(adapter.handle, IntelInterrupts::rxStartTimerFired, this);
        }
        int configured = adapter.config.interruptMode();
        if (configured == IntelConfig.MODE_POLLING) {
            mode = null;
            pollTimer = ndis.NdisAllocateTimerObject(adapter.handle, IntelInterrupts::pollTimerFired, this);
            return planned;
        }
        InterruptMode[] order = switch (configured) {
            case IntelConfig.MODE_MSIX -> new InterruptMode[] {InterruptMode.MSIX};
            case IntelConfig.MODE_MSI -> new InterruptMode[] {InterruptMode.MSI};
            case IntelConfig.MODE_INTX -> new InterruptMode[] {InterruptMode.INTX};
            default -> new InterruptMode[] {InterruptMode.MSIX, InterruptMode.MSI, InterruptMode.INTX};
        };
        int messages = ReceiveQueuePlan.messages(planned);
        interrupt = InterruptFallback.register(ndis, adapter.handle, this, order, messages,
                () -> new InterruptCharacteristics<IntelInterrupts>().allHandlers(IntelInterrupts::isr,
                        IntelInterrupts::dpc, IntelInterrupts::enableInterrupt, IntelInterrupts::disableInterrupt));
        mode = interrupt.mode();
        boolean messagePerQueue = mode == InterruptMode.MSIX && interrupt.messageCount() >= messages;
        return planned > 1 && !messagePerQueue ? 1 : planned;
    }

    /** The last step of MiniportInitializeEx, once the chip is programmed: the causes to the interrupt. */
    void route() {
        if (pollTimer == null) {
            adapter.chip.routeInterrupts(mode);
        }
    }

    /** MiniportHaltEx: the interrupt goes first. */
    void deregister() {
        interrupt = AdapterReleases.deregister(ndis, interrupt);
    }

    /** The interrupt and the timers, released (halt and the failure path of initialization). */
    void release() {
        deregister();
        pollTimer = AdapterReleases.free(ndis, pollTimer);
        rxStartTimer = AdapterReleases.free(ndis, rxStartTimer);
    }

    /** MiniportRestart after the data path runs: receiver, interrupts or polling, the link as it is now. */
    void restart() {
        if (rxStartTimer == null) {
            rxEnabled = true;
            adapter.oids.writeRctl();
        }
        if (pollTimer != null) {
            ndis.NdisSetTimerObject(pollTimer, POLL_PERIOD_NANOS, POLL_PERIOD_NANOS);
        } else {
            adapter.chip.clearStaleCauses();
            adapter.chip.unmaskInterrupts();
        }
        link.restart(adapter.hw.linkUp());
        if (rxStartTimer != null) {
            ndis.NdisSetTimerObject(rxStartTimer, adapter.chip.receiverStartDelayNanos(), 0);
        }
    }

    /** The receiver goes on once the adapter is Running (see {@link IntelAdapter}). */
    void rxStartTimerFired() {
        if (dataPath.running() && !dataPath.diagnosticsActive() && !adapter.surpriseRemoved) {
            rxEnabled = true;
            adapter.oids.writeRctl();
        }
    }

    void awaitDecidedIndications() {
        link.awaitDecided();
    }

    /** MiniportPause: the receiver stays off until the next Restart. */
    void stopReceiverStart() {
        if (rxStartTimer != null) {
            ndis.NdisCancelTimerObject(rxStartTimer);
        }
        rxEnabled = false;
    }

    /** MiniportPause after a surprise removal: the poll timer stops, no register is touched. */
    void stopPolling() {
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
        }
    }

    /** MiniportPause: polling stops or every cause is masked. */
    void pause() {
        if (pollTimer != null) {
            ndis.NdisCancelTimerObject(pollTimer);
        } else {
            adapter.chip.maskInterrupts();
        }
    }

    // ---- MiniportInterrupt, MiniportInterruptDPC, the poll timer ---------------------------------

    IsrResult isr(int messageId) {
        if (adapter.surpriseRemoved) {
            return IsrResult.NOT_RECOGNIZED;                 // nothing of ours can interrupt any more
        }
        if (mode == InterruptMode.MSIX) {
            int cause = adapter.chip.msixCauses(messageId);
            if (cause != 0) {
                collect(cause);
            }
            int vector = 1 << messageId;
            if ((observedVectors & vector) == 0) {
                observedVectors |= vector;                   // after the causes: the self-test reads both
            }
            return IsrResult.QUEUE_DPC;
        }
        int icr = adapter.chip.readIcr();                    // clears on read without MSI-X
        if (icr == 0) {
            return IsrResult.NOT_RECOGNIZED;                 // INTx may be shared
        }
        collect(icr);
        return IsrResult.QUEUE_DPC;
    }

    /**
     * Keeps what the DPC acts on (the link change) for it, and every cause for the self-test. Each store
     * here is a volatile one (a full fence) or an atomic: made only when it changes something, so a queue's
     * interrupt, whose cause the DPC does not read, costs neither.
     */
    private void collect(int cause) {
        int forDpc = cause & DPC_CAUSES;
        if (forDpc != 0) {
            CAUSES.getAndBitwiseOr(this, forDpc);
        }
        if ((observedCauses & cause) != cause) {
            observedCauses |= cause;
        }
    }

    void dpc(int messageId) {
        // A cause the ISR ORs in after this load has its DPC queued after it, which takes it.
        int causes = isrCauses == 0 ? 0 : (int) CAUSES.getAndSet(this, 0);
        if (dataPath.diagnosticsActive() || adapter.surpriseRemoved) {
            return;
        }
        if (mode == InterruptMode.MSIX) {
            int queue = ReceiveQueuePlan.queueOfVector(messageId, adapter.receiveQueues);
            if (queue >= 0) {
                dataPath.serviceRx(queue);                   // this queue's ring only: its own DPC
            } else if (messageId == IntelAdapter.VECTOR_TX) {
                dataPath.serviceTx();
            }
        } else {
            dataPath.serviceTx();
            dataPath.serviceRx();
        }
        if ((causes & IntelCauses.LSC) != 0) {
            linkInterrupts.incrementAndGet();
            linkChanged();
        }
    }

    void enableInterrupt(int messageId) {
    }

    void disableInterrupt(int messageId) {
    }

    /** Polling mode: the 1 ms timer does what the DPC does, and reads ICR (clear on read) for link changes. */
    void pollTimerFired() {
        if (dataPath.diagnosticsActive() || adapter.surpriseRemoved) {
            return;
        }
        int icr = adapter.chip.readIcr();
        dataPath.serviceTx();
        dataPath.serviceRx();
        if ((icr & IntelCauses.LSC) != 0) {
            linkChanged();
        }
    }

    // ---- link ---------------------------------------------------------------------------------------

    /** A DPC (or the poll timer, or CheckForHang) saw the link change: see {@link LinkIndications#changed}. */
    private void linkChanged() {
        link.changed(adapter.hw.linkUp());
    }

    /**
     * The watchdog half of CheckForHang: masks a link-change cause that storms, and polls STATUS.LU so
     * that a link change whose interrupt was lost or masked is seen within 2 s (Linux e1000e
     * e1000_watchdog_task and igb_watchdog_task check the link on every run, whatever the interrupts said).
     */
    void watchLink() {
        int seen = linkInterrupts.getAndSet(0);
        if (seen > LINK_STORM_THRESHOLD && !linkCauseMasked && pollTimer == null) {
            linkCauseMasked = true;
            int stuck = adapter.chip.maskLinkCause(mode);    // stays masked across reset and restart
            ndis.NdisWriteErrorLogEntry(adapter.handle, Ndis.NDIS_ERROR_CODE_HARDWARE_FAILURE, String.format(
                    "interrupt storm: ICR.LSC signalled %d times in one CheckForHang period without clearing:"
                    + " masked with IMC=0x%08x, link now polled every 2 s", seen, stuck), seen, stuck);
        }
        if (dataPath.running() && adapter.hw.linkUp() != link.lastIndicated()) {
            linkChanged();
        }
    }
}
