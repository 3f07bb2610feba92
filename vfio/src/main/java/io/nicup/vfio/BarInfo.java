package io.nicup.vfio;

/**
 * One base address register as the device-access layer sees it.
 *
 * @param index BAR number 0-5 (for a 64-bit BAR, the lower of its two slots)
 * @param size bytes, 0 when the BAR is not implemented
 * @param memory memory space (true) or I/O space (false)
 * @param is64Bit a 64-bit memory BAR
 * @param prefetchable prefetchable memory
 * @param mappable the register space can be mapped into the process
 */
public record BarInfo(int index, long size, boolean memory, boolean is64Bit, boolean prefetchable,
        boolean mappable) {
}
