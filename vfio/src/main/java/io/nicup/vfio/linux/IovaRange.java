package io.nicup.vfio.linux;

/**
 * A valid IOVA range of the IOMMU, both ends inclusive, unsigned ({@code struct vfio_iova_range}).
 */
public record IovaRange(long start, long end) {

    @Override
    public String toString() {
        return String.format("[0x%x-0x%x]", start, end);
    }
}
