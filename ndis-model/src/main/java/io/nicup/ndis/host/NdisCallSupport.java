package io.nicup.ndis.host;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.ResourceLedger;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.FaultInjection;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What every group of DDI calls shares: a call is traced as a span, the adapter behind a handle is
 * checked alive (a call after halt is reported, not obeyed), resources are entered in the adapter's
 * ledger and their release checked, and a broken {@link Rule} is reported to the {@link Verifier} and
 * turned into the status the rule names. The subclasses hold the calls themselves, under their DDI names.
 */
public abstract class NdisCallSupport {

    protected final HostOptions options;
    protected final NdisTrace trace;
    protected final Verifier verifier;
    protected final FaultInjection faults;
    protected final TimerQueue timers;
    protected final MiniportInvoker invoker;
    protected final ProtocolDelivery delivery;
    /** The host this NDIS instance belongs to: a handle of another host's adapter is refused. */
    private final Object owner;

    protected NdisCallSupport(HostServices services, ProtocolDelivery delivery, Object owner) {
        this.options = services.options();
        this.trace = services.trace();
        this.verifier = services.verifier();
        this.faults = services.faults();
        this.timers = services.timers();
        this.invoker = services.invoker();
        this.delivery = delivery;
        this.owner = owner;
    }

    /** The adapter behind a handle, or null (reported) when it was halted. */
    protected MiniportAdapter alive(NdisAdapterHandle handle, NdisCall call) {
        if (handle == null) {
            throw new NdisException("call=" + call + " adapter handle is null");
        }
        MiniportAdapter a = handle.adapter;
        if (a.host != owner) {
            throw new NdisException("call=" + call + " handle belongs to another NDIS instance: adapter=" + a.name());
        }
        if (a.state() == AdapterState.HALTED && !a.lifecycle.inInitialize && !a.lifecycle.inHalt) {
            report(a, Rule.CALL_AFTER_HALT, "call=" + call);
            return null;
        }
        return a;
    }

    protected void requireRegistrationAttributes(MiniportAdapter a, NdisCall call) {
        if (a.registrationAttributes() == null) {
            throw rejectHandle(a, Rule.ATTR_REGISTRATION_FIRST, call, NdisStatus.FAILURE,
                    "call=" + call + " registration=missing");
        }
    }

    protected void injected(NdisCall call) {
        int status = faults.check(call);
        if (status != NdisStatus.SUCCESS) {
            throw new NdisStatusException(call, status, "injected=true");
        }
    }

    protected ResourceLedger.Entry acquire(MiniportAdapter a, ResourceLedger.Kind kind, String name, Runnable release) {
        return acquire(a, kind, name, release, Map.of());
    }

    protected ResourceLedger.Entry acquire(MiniportAdapter a, ResourceLedger.Kind kind, String name, Runnable release,
            Map<String, String> detail) {
        ResourceLedger.Entry e = a.resources.ledger.acquire(kind, name, release);
        Map<String, String> d = new java.util.LinkedHashMap<>();
        d.put("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
        d.putAll(detail);
        trace.instant(NdisTrace.Kind.ACQUIRE, NdisTrace.Direction.NONE, name, a.driver().name(), a.name(),
                NdisTrace.NO_STATUS, d);
        return e;
    }

    /** Records a release; false (reported) when the resource was not held. */
    protected boolean release(MiniportAdapter a, ResourceLedger.Entry e, NdisCall call) {
        if (!a.resources.ledger.remove(e, a.lifecycle.inInitialize || a.lifecycle.inHalt)) {
            report(a, Rule.RES_RELEASE_UNKNOWN, "call=" + call + " resource=" + e + " not held");
            return false;
        }
        trace.instant(NdisTrace.Kind.RELEASE, NdisTrace.Direction.NONE, e.name, a.driver().name(), a.name(),
                NdisTrace.NO_STATUS, Map.of("call", call.name()));
        return true;
    }

    protected Violation report(MiniportAdapter a, Rule rule, String detail) {
        if (a.lifecycle.inInitialize) {
            a.lifecycle.initViolations++;
        }
        return verifier.report(rule, a, detail);
    }

    protected Violation record(MiniportAdapter a, Rule rule, String detail) {
        return verifier.record(rule, a.driver().name(), a.name(), detail);
    }

    protected static List<Violation> add(List<Violation> list, Violation v) {
        List<Violation> l = list == null ? new ArrayList<>(2) : list;
        l.add(v);
        return l;
    }

    protected int reject(MiniportAdapter a, Rule rule, int status, String detail) {
        report(a, rule, detail);
        return status;
    }

    protected int reject(LoadedDriver d, Rule rule, int status, String detail) {
        verifier.report(rule, d, detail);
        return status;
    }

    protected NdisStatusException rejectHandle(MiniportAdapter a, Rule rule, NdisCall call, int status, String detail) {
        report(a, rule, detail);
        return new NdisStatusException(call, status, "adapter=" + a.name() + " rule=" + rule.id() + " " + detail);
    }

    /** A traced call returning a status (void C calls report SUCCESS or the rejection status). */
    protected int statusCall(NdisCall call, String driver, String adapter, Map<String, String> detail, IntSupplier body) {
        NdisTrace.Span span = trace.begin(call, driver, adapter, detail);
        int status = NdisStatus.FAILURE;
        try {
            status = body.getAsInt();
            return status;
        } finally {
            span.end(status);
        }
    }

    protected int adapterStatusCall(NdisCall call, NdisAdapterHandle handle, Map<String, String> detail,
            java.util.function.ToIntFunction<MiniportAdapter> body) {
        String driver = handle == null ? "" : handle.adapter.driver().name();
        String adapter = handle == null ? "" : handle.adapter.name();
        return statusCall(call, driver, adapter, detail, () -> {
            MiniportAdapter a = alive(handle, call);
            return a == null ? NdisStatus.FAILURE : body.applyAsInt(a);
        });
    }

    /** A traced call returning an out-value or throwing NdisStatusException. */
    protected <T> T handleCall(NdisCall call, String driver, String adapter, Map<String, String> detail, Supplier<T> body) {
        NdisTrace.Span span = trace.begin(call, driver, adapter, detail);
        int status = NdisStatus.FAILURE;
        try {
            T result = body.get();
            status = NdisStatus.SUCCESS;
            return result;
        } catch (NdisStatusException e) {
            status = e.status();
            throw e;
        } finally {
            span.end(status);
        }
    }

    protected <T> T adapterHandleCall(NdisCall call, NdisAdapterHandle handle, Map<String, String> detail,
            java.util.function.Function<MiniportAdapter, T> body) {
        String driver = handle == null ? "" : handle.adapter.driver().name();
        String adapter = handle == null ? "" : handle.adapter.name();
        return handleCall(call, driver, adapter, detail, () -> {
            MiniportAdapter a = alive(handle, call);
            if (a == null) {
                throw new NdisStatusException(call, NdisStatus.FAILURE, "adapter=" + handle.adapter.name() + " halted");
            }
            return body.apply(a);
        });
    }
}
