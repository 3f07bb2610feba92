package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.NdisVersion;

/**
 * NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES (docs/ndis-contract.md §9): set after the general
 * attributes by a NIC with header-data split, receive filtering (VMQ), a NIC switch, SR-IOV, QoS or GFT
 * offload. nicup's NICs offer none of those, so the structure carries only its header: the model checks
 * where it is set and its revision. RSS is not here: its capabilities travel in the general attributes'
 * RecvScaleCapabilities (DDI ns-ndis-_ndis_miniport_adapter_general_attributes).
 */
public record HardwareAssistAttributes(NdisObjectHeader header) implements MiniportAdapterAttributes {

    public static final int NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES = 0xAF;
    /** Revision 1 is NDIS 6.1, 2 NDIS 6.20, 3 NDIS 6.30. */
    public static final int REVISION_1 = 1;
    public static final int REVISION_3 = 3;

    /** The newest revision an NDIS version knows: none before 6.1, 1 from 6.1, 2 from 6.20, 3 from 6.30. */
    public static int maxRevision(NdisVersion version) {
        if (version.atLeast(NdisVersion.NDIS_6_30)) {
            return REVISION_3;
        }
        if (version.atLeast(NdisVersion.NDIS_6_20)) {
            return 2;
        }
        return version.atLeast(NdisVersion.NDIS_6_1) ? REVISION_1 : 0;
    }

    public static HardwareAssistAttributes of(int revision) {
        return new HardwareAssistAttributes(new NdisObjectHeader(
                NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES, revision, 0));
    }
}
