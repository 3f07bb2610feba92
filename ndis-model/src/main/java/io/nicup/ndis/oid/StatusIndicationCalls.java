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
                    if (statusIndication.statusCode() == NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG) {
                        String problem = offloadProblem(a, statusIndication.statusBuffer());
                        if (problem != null) {
                            return reject(a, Rule.OFFLOAD_CURRENT_WITHIN_HARDWARE, NdisStatus.FAILURE, problem);
                        }
                        a.setCurrentOffload((NdisOffload) statusIndication.statusBuffer());
                    }
                    delivery.deliverStatus(a, statusIndication);
                    return NdisStatus.SUCCESS;
                });
    }

    /** Why an offload indication is refused (docs/ndis-contract.md §9), or null. */
    private static String offloadProblem(io.nicup.ndis.adapter.MiniportAdapter a, Object buffer) {
        if (a.offloadAttributes() == null) {
            return "no offload attributes were set";
        }
        if (!(buffer instanceof NdisOffload current)) {
            return "buffer=" + buffer + " expected an NDIS_OFFLOAD";
        }
        if (current.headerProblem() != null) {
            return current.headerProblem();
        }
        java.util.List<String> outside = current.outside(a.offloadAttributes().hardwareOffloadCapabilities());
        return outside.isEmpty() ? null : "current configuration outside HardwareOffloadCapabilities: " + outside;
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
