package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.datapath.DataPathBookkeeping;
import io.nicup.ndis.datapath.DataPathCounters;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.OidQueue;
import io.nicup.ndis.protocol.NdisProtocolEdge;
import io.nicup.ndis.trace.Verifier;
import io.nicup.vfio.PciDevice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One adapter of a loaded driver (NDIS's miniport block), as the host and the CLI see it: state,
 * attributes, link state and data-path counters. Returned by {@link NdisHost#addAdapter}. The miniport
 * never sees this object; it has the {@link NdisAdapterHandle}.
 */
public final class MiniportAdapter {

    @NdisInternal
    public final NdisHost host;
    private final LoadedDriver driver;
    private final PciDevice device;
    private final String name;
    @NdisInternal
    public final NdisAdapterHandle handle;
    @NdisInternal
    public final NdisProtocolEdge edge;
    private final int ifIndex;

    /** Where the adapter is in the state table, and which handler NDIS is in. */
    @NdisInternal
    public final AdapterStateMachine lifecycle;
    /** What the miniport holds through NDIS. */
    @NdisInternal
    public final AdapterResources resources = new AdapterResources();
    /** Send and receive counts. */
    @NdisInternal
    public final DataPathBookkeeping dataPath = new DataPathBookkeeping();
    /** The pending and queued OID requests. */
    @NdisInternal
    public final OidQueue oids = new OidQueue();
    /** What the timed rules remember of this adapter. */
    @NdisInternal
    public final io.nicup.ndis.trace.TimedRules.Watch timedWatch = new io.nicup.ndis.trace.TimedRules.Watch();

    // what the miniport told NDIS in MiniportInitializeEx and since (set by the attribute and status DDIs)
    Object context;
    volatile MiniportAdapterAttributes.Registration registration;
    volatile MiniportAdapterAttributes.General general;
    volatile OffloadAttributes offload;
    volatile HardwareAssistAttributes hardwareAssist;
    /** The offload configuration in force: the default one, then each NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG. */
    private volatile NdisOffload currentOffload;
    private volatile NdisLinkState linkState = NdisLinkState.UNKNOWN;
    /** NdisWriteErrorLogEntry entries, oldest first (what the system event log would hold). */
    @NdisInternal
    public final List<String> errorLog = new CopyOnWriteArrayList<>();

    MiniportAdapter(NdisHost host, LoadedDriver driver, PciDevice device, NdisProtocolEdge edge, int ifIndex) {
        this.host = host;
        this.driver = driver;
        this.device = device;
        this.name = device.address().toString();
        this.handle = new NdisAdapterHandle(this);
        this.edge = edge;
        this.ifIndex = ifIndex;
        this.lifecycle = new AdapterStateMachine(name, (from, to, event) -> host.traceState(this, from, to, event));
    }

    /** The PCI address, which names the adapter in traces and parameter files. */
    public String name() {
        return name;
    }

    public AdapterState state() {
        return lifecycle.state();
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
        return lifecycle.initStatus;
    }

    /** The last link state: from the general attributes, then from NDIS_STATUS_LINK_STATE indications. */
    public NdisLinkState linkState() {
        return linkState;
    }

    /** Whether a reset is under way: MiniportResetEx running, or PENDING without NdisMResetComplete yet. */
    public boolean resetPending() {
        return lifecycle.resetPending;
    }

    /** How the last reset completed (its status and AddressingReset), or null before the first. */
    public ResetResult lastReset() {
        return lifecycle.lastReset;
    }

    /** What the miniport wrote with NdisWriteErrorLogEntry, one line per entry, oldest first. */
    public List<String> errorLog() {
        return List.copyOf(errorLog);
    }

    /** The MiniportAdapterContext of the registration attributes: what every adapter handler receives. */
    @NdisInternal
    public Object miniportContext() {
        return context;
    }

    /** A new link state: from the general attributes, then from each NDIS_STATUS_LINK_STATE indication. */
    @NdisInternal
    public void setLinkState(NdisLinkState value) {
        linkState = value;
    }

    public MiniportAdapterAttributes.Registration registrationAttributes() {
        return registration;
    }

    public MiniportAdapterAttributes.General generalAttributes() {
        return general;
    }

    /** The offload attributes, or null when the miniport set none (it offers no offload). */
    public OffloadAttributes offloadAttributes() {
        return offload;
    }

    public HardwareAssistAttributes hardwareAssistAttributes() {
        return hardwareAssist;
    }

    /** What OID_TCP_OFFLOAD_CURRENT_CONFIG answers; null without offload attributes. */
    public NdisOffload currentOffload() {
        return currentOffload;
    }

    @NdisInternal
    public void setCurrentOffload(NdisOffload value) {
        currentOffload = value;
    }

    public DataPathCounters counters() {
        return dataPath.snapshot();
    }

    /** Names of the resources the miniport holds now, in acquisition order. */
    public List<String> heldResources() {
        return resources.ledger.live().stream().map(e -> e.name).toList();
    }

    @NdisInternal
    public Verifier verifier() {
        return host.verifier();
    }

    @Override
    public String toString() {
        return "MiniportAdapter{" + name + " " + state() + "}";
    }
}
