package io.nicup.mock;

/**
 * A DMA access by the simulated device that the simulated IOMMU refused: the address range is not
 * (entirely) inside one mapped region. The access did nothing (a refused read delivers zeros to the
 * device). On Linux the same event is a DMAR/AMD-Vi fault in the kernel log.
 *
 * @param iova first byte addressed
 * @param length bytes in the access
 * @param write device-to-memory (true) or memory-to-device (false)
 * @param context what the device was doing ("rx-buffer", "tx-descriptor", ...)
 * @param timeNanos virtual time of the access
 */
public record DmaFault(long iova, long length, boolean write, String context, long timeNanos) {

    @Override
    public String toString() {
        return String.format("iommu fault: %s iova=0x%x length=%d context=%s t=%dns", write ? "write" : "read",
                iova, length, context, timeNanos);
    }
}
