package io.nicup.ndis;

import io.nicup.vfio.PciDevice;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One adapter of a loaded driver (NDIS's miniport block), as the host and the CLI see it: state,
 * attributes, link state and data-path counters. Returned by {@link NdisHost#addAdapter}. The miniport
 * never sees this object; it has the {@link NdisAdapterHandle}.
 */
public final class MiniportAdapter {

    final NdisHost host;
    private final LoadedDriver driver;
    private final PciDevice device;
    private final String name;
    final NdisAdapterHandle handle;
    final NdisProtocolEdge edge;
    private final int ifIndex;

    /** Guards the state and the pending flags below; never held while calling the miniport. */
    final Object lock = new Object();
    private volatile AdapterState state = AdapterState.HALTED;

    // initialization
    volatile boolean inInitialize;
    volatile boolean inHalt;
    int initViolations;
    volatile int initStatus = NdisStatus.PENDING;
    Object context;
    volatile MiniportAdapterAttributes.Registration registration;
    volatile MiniportAdapterAttributes.General general;

    // resources
    final ResourceLedger ledger = new ResourceLedger();
    volatile NdisDmaHandle dma;
    volatile NdisInterruptHandle interrupt;
    final List<NetBufferListPool> hostPools = new CopyOnWriteArrayList<>();

    // pause / restart / reset
    boolean inPauseCall;
    boolean pausePending;
    boolean pauseCompletedInCall;
    boolean inRestartCall;
    /** The thread inside MiniportRestart while {@link #inRestartCall} (guarded by lock). */
    Thread restartThread;
    boolean restartPending;
    boolean restartCompletedInCall;
    int restartCompletionStatus;
    volatile boolean resetPending;
    boolean inResetCall;
    boolean resetCompletedInCall;
    ResetResult resetCompletion;
    TimerQueue.Scheduled checkForHangTimer;

    // data path
    final AtomicLong sends = new AtomicLong();
    final AtomicLong sendsCompleted = new AtomicLong();
    final AtomicLong sendsFailed = new AtomicLong();
    final AtomicLong sendsRejectedByNdis = new AtomicLong();
    final AtomicLong sendsOutstanding = new AtomicLong();
    final AtomicLong receiveIndications = new AtomicLong();
    final AtomicLong receivedNbls = new AtomicLong();
    final AtomicLong receivedBytes = new AtomicLong();
    final AtomicLong receivedWithResources = new AtomicLong();
    final AtomicLong returnedNbls = new AtomicLong();
    final AtomicLong receivesOutstanding = new AtomicLong();

    // OIDs
    final Object oidLock = new Object();
    PendingOid currentOid;
    final Deque<PendingOid> oidQueue = new ArrayDeque<>();
    byte[] lastPacketFilter;
    byte[] lastMulticastList;
    volatile NdisLinkState linkState = NdisLinkState.UNKNOWN;
    /** NdisWriteErrorLogEntry entries, oldest first (what the system event log would hold). */
    final java.util.List<String> errorLog = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** An OID request NDIS gave the miniport and is waiting on. */
    static final class PendingOid {
        final NdisOidRequest request;
        final CompletableFuture<OidResult> future;
        final boolean direct;
        boolean inCall;
        boolean completedInCall;
        int completionStatus;
        boolean done;

        PendingOid(NdisOidRequest request, CompletableFuture<OidResult> future, boolean direct) {
            this.request = request;
            this.future = future;
            this.direct = direct;
        }
    }

    MiniportAdapter(NdisHost host, LoadedDriver driver, PciDevice device, NdisProtocolEdge edge, int ifIndex) {
        this.host = host;
        this.driver = driver;
        this.device = device;
        this.name = device.address().toString();
        this.handle = new NdisAdapterHandle(this);
        this.edge = edge;
        this.ifIndex = ifIndex;
    }

    /** The PCI address, which names the adapter in traces and parameter files. */
    public String name() {
        return name;
    }

    public AdapterState state() {
        return state;
    }

    public LoadedDriver driver() {
        return driver;
    }

    public PciDevice device() {
        return device;
    }

    public NdisHost host() {
        return host;
    }

    public int ifIndex() {
        return ifIndex;
    }

    /** What initialization ended with (PENDING while it runs). */
    public int initStatus() {
        return initStatus;
    }

    /** The last link state: from the general attributes, then from NDIS_STATUS_LINK_STATE indications. */
    public NdisLinkState linkState() {
        return linkState;
    }

    /** What the miniport wrote with NdisWriteErrorLogEntry, one line per entry, oldest first. */
    public java.util.List<String> errorLog() {
        return java.util.List.copyOf(errorLog);
    }

    public MiniportAdapterAttributes.Registration registrationAttributes() {
        return registration;
    }

    public MiniportAdapterAttributes.General generalAttributes() {
        return general;
    }

    public DataPathCounters counters() {
        return new DataPathCounters(sends.get(), sendsCompleted.get(), sendsFailed.get(), sendsRejectedByNdis.get(),
                sendsOutstanding.get(), receiveIndications.get(), receivedNbls.get(), receivedBytes.get(),
                receivedWithResources.get(), returnedNbls.get(), receivesOutstanding.get());
    }

    /** Names of the resources the miniport holds now, in acquisition order. */
    public List<String> heldResources() {
        return ledger.live().stream().map(e -> e.name).toList();
    }

    Verifier verifier() {
        return host.verifier();
    }

    /** Moves along the documented table; anything else is a bug in the model itself. */
    AdapterState transition(AdapterState.Event event) {
        synchronized (lock) {
            AdapterState from = state;
            AdapterState to = from.next(event).orElseThrow(() -> new IllegalStateException(
                    "undocumented transition: adapter=" + name + " state=" + from + " event=" + event));
            state = to;
            host.traceState(this, from, to, event);
            return to;
        }
    }

    @Override
    public String toString() {
        return "MiniportAdapter{" + name + " " + state + "}";
    }
}
