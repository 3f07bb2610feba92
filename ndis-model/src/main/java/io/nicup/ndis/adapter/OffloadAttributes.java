package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.oid.NdisOffload;

/**
 * NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES (docs/ndis-contract.md §9): the checksum and LSO offloads the NIC
 * offers (HardwareOffloadCapabilities) and those on after initialization (DefaultOffloadConfiguration),
 * set with NdisMSetMiniportAttributes after the general attributes. The default configuration lies within
 * the hardware capabilities. Header revision 1; the TCP connection (chimney) offload members are absent
 * (nicup offers no connection offload).
 *
 * {@snippet :
 * ndis.NdisMSetMiniportAttributes(handle, OffloadAttributes.of(defaultConfiguration, hardwareCapabilities));
 * }
 */
public record OffloadAttributes(NdisObjectHeader header, NdisOffload defaultOffloadConfiguration,
        NdisOffload hardwareOffloadCapabilities) implements MiniportAdapterAttributes {

    public static final int NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES = 0xA0;
    public static final int REVISION_1 = 1;

    public static OffloadAttributes of(NdisOffload defaultOffloadConfiguration, NdisOffload hardwareOffloadCapabilities) {
        return new OffloadAttributes(new NdisObjectHeader(NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
                REVISION_1, 0), defaultOffloadConfiguration, hardwareOffloadCapabilities);
    }
}
