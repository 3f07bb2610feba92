package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.trace.Rule;
import java.util.List;

/**
 * NdisMSetMiniportAttributes for the attributes after the general ones (docs/ndis-contract.md §2.3, §9):
 * the offload attributes, whose default configuration becomes the adapter's current offload configuration,
 * and the hardware-assist attributes. Each once, inside MiniportInitializeEx, after the general attributes;
 * the headers as documented; the default configuration within the hardware capabilities.
 */
@NdisInternal
final class OffloadAttributeCalls {

    /** How a broken rule is reported and turned into the returned status (the caller's reject). */
    interface Rejecter {
        int reject(MiniportAdapter a, Rule rule, int status, String detail);
    }

    private final Rejecter rejecter;

    OffloadAttributeCalls(Rejecter rejecter) {
        this.rejecter = rejecter;
    }

    int setOffload(MiniportAdapter a, OffloadAttributes o) {
        int order = checkOrder(a, a.offloadAttributes() != null, "offload");
        if (order != NdisStatus.SUCCESS) {
            return order;
        }
        NdisObjectHeader h = o.header();
        if (h.type() != OffloadAttributes.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES
                || h.revision() != OffloadAttributes.REVISION_1) {
            return rejecter.reject(a, Rule.OFFLOAD_ATTR_HEADER, NdisStatus.BAD_VERSION, "offload header=" + h);
        }
        if (o.defaultOffloadConfiguration() == null || o.hardwareOffloadCapabilities() == null) {
            return rejecter.reject(a, Rule.OFFLOAD_ATTR_HEADER, NdisStatus.BAD_VERSION,
                    "DefaultOffloadConfiguration or HardwareOffloadCapabilities missing");
        }
        for (NdisOffload offload : List.of(o.defaultOffloadConfiguration(), o.hardwareOffloadCapabilities())) {
            String problem = offload.headerProblem();
            if (problem != null) {
                return rejecter.reject(a, Rule.OFFLOAD_ATTR_HEADER, NdisStatus.BAD_VERSION, problem);
            }
        }
        List<String> outside = o.defaultOffloadConfiguration().outside(o.hardwareOffloadCapabilities());
        if (!outside.isEmpty()) {
            return rejecter.reject(a, Rule.OFFLOAD_DEFAULT_WITHIN_HARDWARE, NdisStatus.INVALID_PARAMETER,
                    "DefaultOffloadConfiguration outside HardwareOffloadCapabilities: " + outside);
        }
        a.offload = o;
        a.setCurrentOffload(o.defaultOffloadConfiguration());
        return NdisStatus.SUCCESS;
    }

    int setHardwareAssist(MiniportAdapter a, HardwareAssistAttributes h) {
        int order = checkOrder(a, a.hardwareAssistAttributes() != null, "hardware-assist");
        if (order != NdisStatus.SUCCESS) {
            return order;
        }
        NdisObjectHeader header = h.header();
        int known = HardwareAssistAttributes.maxRevision(a.driver().ndisVersion());
        if (header.type() != HardwareAssistAttributes.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES
                || header.revision() < HardwareAssistAttributes.REVISION_1 || header.revision() > known) {
            return rejecter.reject(a, Rule.OFFLOAD_ATTR_HEADER, NdisStatus.BAD_VERSION, "hardware-assist header="
                    + header + " revisions known to NDIS " + a.driver().ndisVersion() + ": 1.." + known);
        }
        a.hardwareAssist = h;
        return NdisStatus.SUCCESS;
    }

    private int checkOrder(MiniportAdapter a, boolean alreadySet, String kind) {
        if (a.registrationAttributes() == null || a.generalAttributes() == null) {
            return rejecter.reject(a, Rule.OFFLOAD_ATTR_ORDER, NdisStatus.FAILURE, "call=NdisMSetMiniportAttributes("
                    + kind + ") registration=" + (a.registrationAttributes() == null ? "missing" : "set")
                    + " general=" + (a.generalAttributes() == null ? "missing" : "set"));
        }
        if (alreadySet) {
            return rejecter.reject(a, Rule.OFFLOAD_ATTR_ORDER, NdisStatus.FAILURE, "attributes=" + kind + " set twice");
        }
        return NdisStatus.SUCCESS;
    }
}
