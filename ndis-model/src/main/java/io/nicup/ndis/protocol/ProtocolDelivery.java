package io.nicup.ndis.protocol;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Verifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * NDIS's side toward the protocols: status indications go to the adapter's {@link NdisProtocolEdge} and
 * to the host's listeners; a protocol edge that throws is host code failing, not the miniport, and the
 * failure surfaces from the next host call.
 */
@NdisInternal
public final class ProtocolDelivery {

    private final NdisTrace trace;
    private final Verifier verifier;
    private final List<BiConsumer<MiniportAdapter, NdisStatusIndication>> statusListeners = new CopyOnWriteArrayList<>();

    public ProtocolDelivery(NdisTrace trace, Verifier verifier) {
        this.trace = trace;
        this.verifier = verifier;
    }

    public void addStatusListener(BiConsumer<MiniportAdapter, NdisStatusIndication> listener) {
        statusListeners.add(listener);
    }

    public void deliverStatus(MiniportAdapter a, NdisStatusIndication indication) {
        trace.instant(NdisTrace.Kind.INDICATION, NdisTrace.Direction.NDIS_TO_PROTOCOL,
                NdisStatus.name(indication.statusCode()), a.driver().name(), a.name(), indication.statusCode(),
                Map.of("buffer", String.valueOf(indication.statusBuffer())));
        try {
            a.edge.statusEx(a, indication);
            for (BiConsumer<MiniportAdapter, NdisStatusIndication> l : statusListeners) {
                l.accept(a, indication);
            }
        } catch (RuntimeException e) {
            protocolEdgeFailed(a, NdisCall.ProtocolStatusEx, e);
        }
    }

    /**
     * The protocol edge (host code, not the miniport) threw while NDIS called it from inside a miniport
     * call: the miniport is not blamed; the failure is thrown from the next host call, in both verifier
     * modes.
     */
    public void protocolEdgeFailed(MiniportAdapter a, NdisCall callback, RuntimeException e) {
        verifier.deferred(new NdisException("protocol edge failed: callback=" + callback + " adapter=" + a.name()
                + " error=" + e, e));
    }
}
