package io.nicup.vfio.linux;

import java.util.List;

/**
 * {@code struct vfio_region_info} with its capability chain, as returned by
 * {@code VFIO_DEVICE_GET_REGION_INFO}.
 *
 * @param index region index: BAR0-5 are 0-5, ROM 6, CONFIG 7, VGA 8 (linux/vfio.h l.600-619)
 * @param flags {@code VFIO_REGION_INFO_FLAG_*}: READ 1, WRITE 2, MMAP 4, CAPS 8
 * @param size bytes; 0 when the region is not implemented
 * @param offset where the region starts in the device file (for pread/pwrite/mmap); opaque, never computed
 * @param capabilityIds the ids of every capability in the chain, in chain order
 * @param sparseAreas the mmap-able areas when the SPARSE_MMAP capability (id 1) is present, else empty
 */
public record RegionInfo(int index, int flags, long size, long offset, List<Integer> capabilityIds,
        List<SparseArea> sparseAreas) {

    public RegionInfo {
        capabilityIds = List.copyOf(capabilityIds);
        sparseAreas = List.copyOf(sparseAreas);
    }

    /** A region without capabilities. */
    public static RegionInfo of(int index, int flags, long size, long offset) {
        return new RegionInfo(index, flags, size, offset, List.of(), List.of());
    }

    public boolean readable() {
        return (flags & VfioAbi.REGION_FLAG_READ) != 0;
    }

    public boolean writable() {
        return (flags & VfioAbi.REGION_FLAG_WRITE) != 0;
    }

    public boolean mmapAllowed() {
        return (flags & VfioAbi.REGION_FLAG_MMAP) != 0;
    }

    public boolean implemented() {
        return size > 0;
    }

    /** Only the {@link #sparseAreas()} may be mapped (e.g. the MSI-X table is excluded). */
    public boolean hasSparseMmap() {
        return capabilityIds.contains(VfioAbi.REGION_CAP_SPARSE_MMAP);
    }

    /** The kernel lets the MSI-X table area be mapped too (capability MSIX_MAPPABLE, id 3). */
    public boolean msixMappable() {
        return capabilityIds.contains(VfioAbi.REGION_CAP_MSIX_MAPPABLE);
    }

    /** {@code "BAR0"} ... {@code "BAR5"}, {@code "ROM"}, {@code "CONFIG"}, {@code "VGA"}, or {@code "REGION<n>"}. */
    public String name() {
        return VfioAbi.regionName(index);
    }

    @Override
    public String toString() {
        return String.format("%s index=%d size=0x%x offset=0x%x flags=0x%x%s%s%s%s caps=%s%s", name(), index, size,
                offset, flags, readable() ? " read" : "", writable() ? " write" : "", mmapAllowed() ? " mmap" : "",
                msixMappable() ? " msix-mappable" : "", capabilityIds,
                hasSparseMmap() ? " sparse=" + sparseAreas : "");
    }
}
