package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;

/**
 * A VFIO container ({@code /dev/vfio/vfio}): the IOMMU context that groups attach to and DMA is mapped in.
 * Opening checks the API version and picks the IOMMU type, TYPE1v2 (3) and else TYPE1 (1). No-IOMMU
 * mode (8) is refused: nicup has no unsafe path. The type is set ({@code VFIO_SET_IOMMU}) when the first
 * group attaches, because the kernel refuses it before (docs/hardware-reference.md A.4 step 6); the IOMMU info (page sizes,
 * IOVA ranges, mapping count) is read right after. Owns the container fd.
 */
public final class VfioContainer implements AutoCloseable {

    private final VfioKernel kernel;
    private final int fd;
    private final int type;
    private volatile IommuInfo info;
    private volatile boolean closed;

    private VfioContainer(VfioKernel kernel, int fd, int type) {
        this.kernel = kernel;
        this.fd = fd;
        this.type = type;
    }

    /** Opens the container and checks what it offers. */
    public static VfioContainer open(LinuxHost host) {
        VfioKernel kernel = host.kernel();
        int fd = kernel.open(host.containerPath(), NativeOp.OPEN_CONTAINER);
        try {
            int version = kernel.apiVersion(fd);
            if (version != VfioAbi.VFIO_API_VERSION) {
                throw new DeviceAccessException(Reason.UNSUPPORTED, "unknown VFIO API version: version=" + version
                        + " expected=" + VfioAbi.VFIO_API_VERSION, "this kernel's VFIO is not supported by nicup");
            }
            int type;
            if (kernel.checkExtension(fd, VfioAbi.VFIO_TYPE1v2_IOMMU) > 0) {
                type = VfioAbi.VFIO_TYPE1v2_IOMMU;
            } else if (kernel.checkExtension(fd, VfioAbi.VFIO_TYPE1_IOMMU) > 0) {
                type = VfioAbi.VFIO_TYPE1_IOMMU;
            } else if (kernel.checkExtension(fd, VfioAbi.VFIO_NOIOMMU_IOMMU) > 0) {
                throw new DeviceAccessException(Reason.VFIO_SETUP, "only the unsafe no-IOMMU mode is available:"
                        + " container=" + host.containerPath(),
                        "nicup does not drive devices without an IOMMU: enable VT-d/AMD-Vi and boot with intel_iommu=on"
                                + " / amd_iommu=on (in a QEMU guest: -device intel-iommu,intremap=on)");
            } else {
                throw new DeviceAccessException(Reason.VFIO_SETUP, "no type1 IOMMU backend: container="
                        + host.containerPath(), "load it: `modprobe vfio_iommu_type1`");
            }
            return new VfioContainer(kernel, fd, type);
        } catch (RuntimeException e) {
            try {
                kernel.close(fd);
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    /** Called by {@link VfioGroup#attach} after {@code GROUP_SET_CONTAINER}: sets the IOMMU type once. */
    synchronized void groupAttached() {
        if (info == null) {
            kernel.setIommu(fd, type);
            info = kernel.iommuInfo(fd);
        }
    }

    public int fd() {
        return fd;
    }

    /** The IOMMU type chosen: {@link VfioAbi#VFIO_TYPE1v2_IOMMU} or {@link VfioAbi#VFIO_TYPE1_IOMMU}. */
    public int iommuType() {
        return type;
    }

    public String iommuTypeName() {
        return VfioAbi.iommuTypeName(type);
    }

    /** Page sizes, valid IOVA ranges and mapping count; available once a group is attached. */
    public IommuInfo iommuInfo() {
        IommuInfo i = info;
        if (i == null) {
            throw new IllegalStateException("no group attached yet: the IOMMU type is not set");
        }
        return i;
    }

    /** {@code VFIO_IOMMU_MAP_DMA} read/write. */
    public void mapDma(long vaddr, long iova, long size) {
        kernel.mapDma(fd, vaddr, iova, size);
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA} with flags 0; returns the bytes unmapped. */
    public long unmapDma(long iova, long size) {
        return kernel.unmapDma(fd, iova, size);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            kernel.close(fd);
        }
    }
}
