package io.nicup.ndis.trace;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The timed rules of Driver Verifier's NDIS checks (docs/ndis-contract.md §14) on the device clock: an OID
 * request completes within 12 s, a send within 30 s, pending sends progress every 22 s, a pause completes
 * within 10 s. A late completion is found when it arrives; one that never arrives when the host's timers
 * run ({@link #sweep}). Each lateness is reported once. Per call, never per packet: a send chain costs one
 * clock read and one volatile write.
 */
public final class TimedRules {

    public static final Duration OID_COMPLETE = Duration.ofSeconds(12);
    public static final Duration SEND_COMPLETE = Duration.ofSeconds(30);
    public static final Duration DATA_HANG = Duration.ofSeconds(22);
    public static final Duration PAUSE_COMPLETE = Duration.ofSeconds(10);

    private static final long OID_NANOS = OID_COMPLETE.toNanos();
    private static final long SEND_NANOS = SEND_COMPLETE.toNanos();
    private static final long HANG_NANOS = DATA_HANG.toNanos();
    private static final long PAUSE_NANOS = PAUSE_COMPLETE.toNanos();

    /** What one adapter's timed rules remember between calls. */
    @NdisInternal
    public static final class Watch {
        /** Release stores of {@link #sendProgressNanos}: the sweep's volatile read sees them, without a fence per call. */
        private static final VarHandle SEND_PROGRESS;

        static {
            try {
                SEND_PROGRESS = MethodHandles.lookup().findVarHandle(Watch.class, "sendProgressNanos", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** When a send last completed, or when sends became outstanding after none were. */
        volatile long sendProgressNanos;
        volatile boolean hangReported;
        volatile boolean stallReported;
        volatile long pauseStartedNanos = -1;
        volatile boolean pauseReported;
    }

    private final Verifier verifier;
    private final NdisTrace trace;

    TimedRules(Verifier verifier, NdisTrace trace) {
        this.verifier = verifier;
        this.trace = trace;
    }

    /** Device-clock time, for stamping what is timed. */
    @NdisInternal
    public long now() {
        return trace.now();
    }

    /** Sends were handed to the miniport; {@code outstandingBefore} were already there. */
    @NdisInternal
    public void sendsQueued(MiniportAdapter a, long outstandingBefore, long now) {
        if (outstandingBefore <= 0) {
            progressed(a.timedWatch, now);
        }
    }

    /** A completion call arrived: the data path progressed. */
    @NdisInternal
    public void sendsCompleted(MiniportAdapter a, long now) {
        progressed(a.timedWatch, now);
    }

    private static void progressed(Watch w, long now) {
        Watch.SEND_PROGRESS.setRelease(w, now);
        // Written only when set: each volatile store is a full fence, and they are set only after a report.
        if (w.hangReported) {
            w.hangReported = false;
        }
        if (w.stallReported) {
            w.stallReported = false;
        }
    }

    /** The violation when an NBL sent at {@code sentAt} completes late, else null. */
    @NdisInternal
    public Violation lateSend(MiniportAdapter a, long sentAt, long now) {
        long took = now - sentAt;
        if (took <= SEND_NANOS) {
            return null;
        }
        return verifier.record(Rule.TIMED_DATA_SEND, a.driver().name(), a.name(), "completed_after_ms=" + took / 1_000_000
                + " bound_ms=" + SEND_NANOS / 1_000_000);
    }

    /** The violation when {@code p} finishes later than 12 s after it was issued (and was not reported yet). */
    @NdisInternal
    public Violation lateOid(MiniportAdapter a, OidQueue.PendingOid p, long now) {
        if (p.issuedNanos < 0 || p.lateReported || now - p.issuedNanos <= OID_NANOS) {
            return null;
        }
        p.lateReported = true;
        return verifier.record(Rule.TIMED_OID_COMPLETE, a.driver().name(), a.name(), "oid="
                + Oid.name(p.request.oid()) + " completed_after_ms=" + (now - p.issuedNanos) / 1_000_000 + " bound_ms="
                + OID_NANOS / 1_000_000);
    }

    @NdisInternal
    public void pauseStarted(MiniportAdapter a, long now) {
        a.timedWatch.pauseReported = false;
        a.timedWatch.pauseStartedNanos = now;
    }

    /** The violation when the pause that started at {@link #pauseStarted} took longer than 10 s, else null. */
    @NdisInternal
    public Violation pauseCompleted(MiniportAdapter a, long now) {
        Watch w = a.timedWatch;
        long started = w.pauseStartedNanos;
        w.pauseStartedNanos = -1;
        if (started < 0 || w.pauseReported || now - started <= PAUSE_NANOS) {
            return null;
        }
        return verifier.record(Rule.TIMED_PAUSE_COMPLETE, a.driver().name(), a.name(), "completed_after_ms="
                + (now - started) / 1_000_000 + " bound_ms=" + PAUSE_NANOS / 1_000_000);
    }

    /**
     * What has been outstanding too long on {@code a} without completing: the OID request with the
     * miniport, a stalled data path, a pause. Runs with the host's timers; STRICT throws from the next host call.
     */
    @NdisInternal
    public void sweep(MiniportAdapter a) {
        if (!a.state().isLive()) {
            return;
        }
        long now = now();
        OidQueue.PendingOid p;
        synchronized (a.oids.lock) {
            p = a.oids.current;
        }
        if (p != null && !p.done) {
            defer(lateOid(a, p, now));
        }
        Watch w = a.timedWatch;
        long outstanding = a.dataPath.sendsOutstanding();
        long stalled = now - w.sendProgressNanos;
        if (outstanding > 0 && stalled > HANG_NANOS && !w.hangReported) {
            w.hangReported = true;
            defer(verifier.record(Rule.TIMED_DATA_HANG, a.driver().name(), a.name(), "sends_outstanding=" + outstanding
                    + " no_completion_for_ms=" + stalled / 1_000_000 + " bound_ms=" + HANG_NANOS / 1_000_000));
        }
        if (outstanding > 0 && stalled > SEND_NANOS && !w.stallReported) {
            w.stallReported = true;
            defer(verifier.record(Rule.TIMED_DATA_SEND, a.driver().name(), a.name(), "sends_outstanding=" + outstanding
                    + " oldest_outstanding_for_ms_at_least=" + stalled / 1_000_000 + " bound_ms=" + SEND_NANOS / 1_000_000));
        }
        long pauseStarted = w.pauseStartedNanos;
        if (a.state() == AdapterState.PAUSING && pauseStarted >= 0 && !w.pauseReported
                && now - pauseStarted > PAUSE_NANOS) {
            w.pauseReported = true;
            defer(verifier.record(Rule.TIMED_PAUSE_COMPLETE, a.driver().name(), a.name(), "pausing_for_ms="
                    + (now - pauseStarted) / 1_000_000 + " bound_ms=" + PAUSE_NANOS / 1_000_000));
        }
    }

    private void defer(Violation v) {
        if (v != null && verifier.mode() == VerifierMode.STRICT) {
            verifier.deferred(new NdisVerifierException(v, null));
        }
    }
}
