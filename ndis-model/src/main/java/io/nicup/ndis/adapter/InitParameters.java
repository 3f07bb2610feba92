package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.PciAddress;

/**
 * NDIS_MINIPORT_INIT_PARAMETERS as nicup passes it to MiniportInitializeEx.
 *
 * @param flags 0
 * @param allocatedResources the device's BARs and interrupt vectors
 * @param ifIndex the interface index NDIS assigned (1, 2, ... in order of adapters added)
 * @param netLuid NET_LUID: IfType 6 (ethernetCsmacd) in bits 48-63, the index in bits 24-47
 * @param pciAddress nicup extension: the function's address (also the adapter's parameter section)
 * @param deviceIdentity nicup extension: vendor/device IDs, which a Windows driver reads with
 *     NdisMGetBusData ({@link Ndis#NdisMGetBusData} works too)
 */
public record InitParameters(int flags, AllocatedResources allocatedResources, int ifIndex, long netLuid,
        PciAddress pciAddress, DeviceIdentity deviceIdentity) {
}
