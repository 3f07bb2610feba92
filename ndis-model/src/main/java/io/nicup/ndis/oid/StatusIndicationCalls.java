package io.nicup.ndis.oid;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import java.util.Map;

/**
 * NdisMIndicateStatusEx (a link-state indication also updates what NDIS answers for OID_GEN_LINK_STATE)
 * and NdisWriteErrorLogEntry.
 */
@NdisInternal
public final class StatusIndicationCalls extends NdisCallSupport {

    public StatusIndicationCalls(HostServices services, ProtocolDelivery delivery, Object owner) {
        super(services, delivery, owner);
    }

    public void NdisMIndicateStatusEx(NdisAdapterHandle miniportAdapterHandle, NdisStatusIndication statusIndication) {
        adapterStatusCall(NdisCall.NdisMIndicateStatusEx, miniportAdapterHandle,
                Map.of("indication", statusIndication.toString()), a -> {
                    if (!a.state().isLive()) {
                        return reject(a, Rule.STATUS_INDICATION_STATE, NdisStatus.FAILURE, "state=" + a.state()
                                + " status=" + NdisStatus.name(statusIndication.statusCode()));
                    }
                    if (statusIndication.statusCode() == NdisStatus.LINK_STATE) {
                        if (!(statusIndication.statusBuffer() instanceof NdisLinkState ls) || !ls.isWellFormed()) {
                            return reject(a, Rule.STATUS_LINK_STATE_BUFFER, NdisStatus.FAILURE,
                                    "buffer=" + statusIndication.statusBuffer());
                        }
                        a.setLinkState(ls);
                    }
                    delivery.deliverStatus(a, statusIndication);
                    return NdisStatus.SUCCESS;
                });
    }

    public void NdisWriteErrorLogEntry(NdisAdapterHandle miniportAdapterHandle, int errorCode, String text, long... values) {
        StringBuilder v = new StringBuilder();
        for (long value : values) {
            v.append(v.isEmpty() ? "" : ",").append("0x").append(Long.toHexString(value));
        }
        adapterStatusCall(NdisCall.NdisWriteErrorLogEntry, miniportAdapterHandle, Map.of("error_code",
                String.format("0x%08x", errorCode), "values", v.toString(), "text", text), a -> {
                    a.errorLog.add(String.format("error_code=0x%08x %s values=[%s]", errorCode, text, v));
                    return NdisStatus.SUCCESS;
                });
    }
}
