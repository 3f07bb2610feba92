package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisSupportedPauseFunctions;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import java.util.List;
import java.util.Map;

/**
 * NdisMSetMiniportAttributes: registration attributes first, then general attributes, each once and only
 * inside MiniportInitializeEx; the general attributes give the adapter its first link state. The offload
 * and hardware-assist attributes that may follow are {@link OffloadAttributeCalls}'.
 */
@NdisInternal
public final class AttributeCalls extends NdisCallSupport {

    private final OffloadAttributeCalls later = new OffloadAttributeCalls(this::reject);

    public AttributeCalls(HostServices services, ProtocolDelivery delivery, Object owner) {
        super(services, delivery, owner);
    }

    public int NdisMSetMiniportAttributes(NdisAdapterHandle miniportAdapterHandle, MiniportAdapterAttributes attributes) {
        Map<String, String> detail = Map.of("attributes", switch (attributes) {
            case MiniportAdapterAttributes.Registration r -> "registration";
            case MiniportAdapterAttributes.General g -> "general";
            case OffloadAttributes o -> "offload";
            case HardwareAssistAttributes h -> "hardware-assist";
        });
        return adapterStatusCall(NdisCall.NdisMSetMiniportAttributes, miniportAdapterHandle, detail,
                a -> setAttributes(a, attributes));
    }

    private int setAttributes(MiniportAdapter a, MiniportAdapterAttributes attributes) {
        if (!a.lifecycle.inInitialize) {
            return reject(a, Rule.ATTR_ONLY_DURING_INITIALIZE, NdisStatus.FAILURE, "state=" + a.state());
        }
        NdisObjectHeader h = attributes.header();
        switch (attributes) {
            case MiniportAdapterAttributes.Registration r -> {
                if (h.type() != NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES
                        || h.revision() < 1 || h.revision() > MiniportAdapterAttributes.Registration.REVISION_2) {
                    return reject(a, Rule.ATTR_HEADER, NdisStatus.BAD_VERSION, "registration header=" + h);
                }
                if (a.registrationAttributes() != null) {
                    return reject(a, Rule.ATTR_SET_ONCE, NdisStatus.FAILURE, "attributes=registration");
                }
                a.registration = r;
                a.context = r.miniportAdapterContext();
                return NdisStatus.SUCCESS;
            }
            case MiniportAdapterAttributes.General g -> {
                if (h.type() != NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES
                        || h.revision() < 1 || h.revision() > MiniportAdapterAttributes.General.REVISION_2) {
                    return reject(a, Rule.ATTR_HEADER, NdisStatus.BAD_VERSION, "general header=" + h);
                }
                if (a.registrationAttributes() == null) {
                    return reject(a, Rule.ATTR_REGISTRATION_FIRST, NdisStatus.FAILURE,
                            "call=NdisMSetMiniportAttributes(general) registration=missing");
                }
                if (a.generalAttributes() != null) {
                    return reject(a, Rule.ATTR_SET_ONCE, NdisStatus.FAILURE, "attributes=general");
                }
                List<String> problems = g.problems(a.driver().ndisVersion());
                if (!problems.isEmpty()) {
                    return reject(a, Rule.ATTR_GENERAL_COMPLETE, NdisStatus.INVALID_PARAMETER, "problems=" + problems);
                }
                if (g.recvScaleCapabilities() != null && !g.recvScaleCapabilities().problems().isEmpty()) {
                    return reject(a, Rule.RSS_CAPABILITIES, NdisStatus.INVALID_PARAMETER, "RecvScaleCapabilities "
                            + g.recvScaleCapabilities().problems());
                }
                a.general = g;
                a.setLinkState(new NdisLinkState(g.mediaConnectState(), g.mediaDuplexState(), g.xmitLinkSpeed(),
                        g.rcvLinkSpeed(), NdisSupportedPauseFunctions.NdisPauseFunctionsUnknown, 0));
                return NdisStatus.SUCCESS;
            }
            case OffloadAttributes o -> {
                return later.setOffload(a, o);
            }
            case HardwareAssistAttributes hw -> {
                return later.setHardwareAssist(a, hw);
            }
        }
    }
}
