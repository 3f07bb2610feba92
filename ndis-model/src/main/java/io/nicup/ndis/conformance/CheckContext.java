package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * What a check works with: the target, one adapter the check brings up ({@link #running}) and the battery
 * halts afterwards, a protocol edge that keeps what arrived, and time that passes on the device clock
 * (virtual on a simulated NIC, where nothing runs unless time is pumped; real elsewhere).
 */
public final class CheckContext {

    /**
     * The link partner the battery's frames go to and come from: a locally administered address no NIC here
     * has, and one no other traffic of the QEMU suite uses, so a capture of the wire tells the battery's frames
     * from the rest.
     */
    public static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:c0");
    public static final int DEFAULT_FILTER = NdisPacketFilter.DIRECTED | NdisPacketFilter.MULTICAST
            | NdisPacketFilter.BROADCAST;

    private final ConformanceTarget target;
    private final FrameEdge edge = new FrameEdge();
    private MiniportAdapter adapter;
    private NetBufferListPool pool;

    CheckContext(ConformanceTarget target) {
        this.target = target;
    }

    public ConformanceTarget target() {
        return target;
    }

    public NdisHost host() {
        return target.host();
    }

    public FrameEdge edge() {
        return edge;
    }

    public Optional<SimulatedWire> wire() {
        return target.wire();
    }

    /** The far end of the cable: what brings frames from outside, sees the wire, pulls the link. */
    public LinkPartner partner() {
        return target.partner();
    }

    public MiniportAdapter adapter() {
        return adapter;
    }

    /**
     * MiniportInitializeEx, the packet filter, MiniportRestart and the link within 10 s; the failure that
     * stopped it otherwise (the check fails with it).
     */
    public Optional<CheckResult> running(int filter) {
        Optional<CheckResult> up = initialized();
        if (up.isPresent()) {
            return up;
        }
        return restarted(filter, Duration.ofSeconds(10));
    }

    /** MiniportInitializeEx only: Paused afterwards, or the failure. */
    public Optional<CheckResult> initialized() {
        adapter = host().addAdapter(target.loaded(), target.device(), edge);
        pool = null;
        if (adapter.initStatus() != NdisStatus.SUCCESS) {
            return Optional.of(CheckResult.fail("MiniportInitializeEx failed: status="
                    + NdisStatus.name(adapter.initStatus())));
        }
        return Optional.empty();
    }

    /** Filter, MiniportRestart and the link within {@code linkTimeout}: Running with link, or the failure. */
    public Optional<CheckResult> restarted(int filter, Duration linkTimeout) {
        Optional<CheckResult> restart = restartedWithoutLink(filter);
        if (restart.isPresent()) {
            return restart;
        }
        if (!target.driver().awaitLink(host(), adapter, linkTimeout)) {
            return Optional.of(CheckResult.fail("link did not come up within " + linkTimeout.toSeconds() + " s: "
                    + adapter.linkState()));
        }
        return Optional.empty();
    }

    /** Filter and MiniportRestart: Running (whatever the link), or the failure. */
    public Optional<CheckResult> restartedWithoutLink(int filter) {
        OidResult set = FrameEdge.setPacketFilter(host(), adapter, filter);
        if (!set.succeeded()) {
            return Optional.of(CheckResult.fail("packet filter set failed: " + set));
        }
        int status = host().restart(adapter);
        if (status == NdisStatus.PENDING) {
            host().awaitState(adapter, AdapterState.RUNNING, Duration.ofSeconds(10));
        }
        if (adapter.state() != AdapterState.RUNNING) {
            return Optional.of(CheckResult.fail("MiniportRestart failed: status=" + NdisStatus.name(status) + " state="
                    + adapter.state()));
        }
        return Optional.empty();
    }

    /** MiniportPause, and Paused within {@code bound}; false when it did not get there. */
    public boolean pause(Duration bound) {
        int status = host().pause(adapter);
        return status == NdisStatus.SUCCESS || host().awaitState(adapter, AdapterState.PAUSED, bound);
    }

    /** Lets {@code d} pass: virtual time (timers, polled interrupts) on a simulated NIC, a sleep elsewhere. */
    public void pump(Duration d) {
        if (target.simulated()) {
            host().idle(d);
        } else {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while a conformance check waited", e);
            }
        }
    }

    /** Pumps time in 1 ms steps until {@code done} or {@code timeout} of device time; whether it got done. */
    public boolean await(BooleanSupplier done, Duration timeout) {
        long deadline = now() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (now() - deadline >= 0) {
                return false;
            }
            pump(Duration.ofMillis(1));
        }
        return true;
    }

    /** The OID result when it completes within {@code timeout}, else empty (still pending with the miniport). */
    public Optional<OidResult> await(CompletableFuture<OidResult> request, Duration timeout) {
        return await(request::isDone, timeout) ? Optional.of(request.join()) : Optional.empty();
    }

    public long now() {
        return host().clock().nanoTime();
    }

    /** Sends {@code frames} as one chain; how many were handed to NDIS. */
    public int send(List<byte[]> frames) {
        if (pool == null) {
            pool = host().allocateSendPool(adapter, 256, Math.max(2048, adapter.generalAttributes().mtuSize() + 18));
        }
        return FrameEdge.send(host(), adapter, pool, frames);
    }

    /** Sends completed so far on this context's adapter, whatever their status. */
    public long sendsCompleted() {
        return edge.completedOk() + edge.completedFailed();
    }

    public MacAddress mac() {
        return adapter.generalAttributes().currentMacAddress();
    }

    /** Pause when Running, then MiniportHaltEx: the adapter is gone until {@link #initialized} again. */
    public void halt() {
        tearDown();
    }

    /** Pause when Running, halt when live: what the battery does after each check. */
    void tearDown() {
        if (adapter == null) {
            return;
        }
        if (adapter.state() == AdapterState.RUNNING) {
            pause(Duration.ofSeconds(11));
        }
        if (adapter.state().isLive()) {
            host().halt(adapter, HaltAction.NdisHaltDeviceDisabled);
        }
    }
}
