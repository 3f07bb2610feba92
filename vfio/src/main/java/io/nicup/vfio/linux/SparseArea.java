package io.nicup.vfio.linux;

/**
 * One mmap-able area of a region ({@code struct vfio_region_sparse_mmap_area}), relative to the start of
 * the region.
 */
public record SparseArea(long offset, long size) {

    public long end() {
        return offset + size;
    }

    @Override
    public String toString() {
        return String.format("[0x%x+0x%x]", offset, size);
    }
}
