package io.nicup.ndis.host;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.IsrResult;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Verifier;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Calls one miniport handler under a trace span: its status (or none) is recorded, and an exception it
 * throws is a {@link Rule#HANDLER_THREW} violation rather than a crash of the host. Verifier and
 * status exceptions pass through (they are NDIS's own verdicts).
 */
@NdisInternal
public final class MiniportInvoker {

    private final NdisTrace trace;
    private final Verifier verifier;

    public MiniportInvoker(NdisTrace trace, Verifier verifier) {
        this.trace = trace;
        this.verifier = verifier;
    }

    public int invokeStatus(NdisCall call, LoadedDriver d, MiniportAdapter a, Map<String, String> detail, IntSupplier body) {
        NdisTrace.Span span = trace.begin(call, d.name(), a == null ? "" : a.name(), detail);
        int status = NdisStatus.FAILURE;
        try {
            status = body.getAsInt();
            return status;
        } catch (NdisVerifierException | NdisStatusException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, d.name(), a == null ? "" : a.name(), "handler=" + call
                    + " exception=" + e, e);
            return NdisStatus.FAILURE;
        } finally {
            span.end(status);
        }
    }

    public void invokeVoid(NdisCall call, LoadedDriver d, MiniportAdapter a, Runnable body) {
        NdisTrace.Span span = trace.begin(call, d.name(), a == null ? "" : a.name(), Map.of());
        try {
            body.run();
        } catch (NdisVerifierException e) {
            throw e;
        } catch (RuntimeException e) {
            verifier.report(Rule.HANDLER_THREW, d.name(), a == null ? "" : a.name(), "handler=" + call
                    + " exception=" + e, e);
        } finally {
            span.end(NdisTrace.NO_STATUS);
        }
    }

    /**
     * An ISR or DPC threw (or broke a rule in STRICT mode): recorded, and thrown from the next host call.
     *
     * @return what the dispatcher assumes the ISR said
     */
    public IsrResult interruptHandlerFailed(MiniportAdapter a, NdisCall handler, RuntimeException e) {
        if (e instanceof NdisVerifierException v) {
            verifier.deferred(v);
        } else {
            verifier.recordDeferred(Rule.HANDLER_THREW, a.driver().name(), a.name(),
                    "handler=" + handler + " exception=" + e, e);
        }
        return IsrResult.NOT_RECOGNIZED;
    }
}
