package io.nicup.ndis.adapter;

/**
 * NDIS_SG_DMA_DESCRIPTION, as far as nicup uses it.
 *
 * @param dma64BitAddresses the NIC generates 64-bit addresses (NDIS_SG_DMA_64_BIT_ADDRESS)
 * @param maximumPhysicalMapping the largest buffer the NIC maps in one go
 */
public record ScatterGatherDmaDescription(boolean dma64BitAddresses, long maximumPhysicalMapping) {

    public static final ScatterGatherDmaDescription DEFAULT = new ScatterGatherDmaDescription(true, 16 * 1024);
}
