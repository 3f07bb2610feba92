package io.nicup.vfio.linux;

import static io.nicup.vfio.linux.Errno.E2BIG;
import static io.nicup.vfio.linux.Errno.EACCES;
import static io.nicup.vfio.linux.Errno.EAGAIN;
import static io.nicup.vfio.linux.Errno.EBADF;
import static io.nicup.vfio.linux.Errno.EBUSY;
import static io.nicup.vfio.linux.Errno.EEXIST;
import static io.nicup.vfio.linux.Errno.EFAULT;
import static io.nicup.vfio.linux.Errno.EINVAL;
import static io.nicup.vfio.linux.Errno.EIO;
import static io.nicup.vfio.linux.Errno.EMFILE;
import static io.nicup.vfio.linux.Errno.ENFILE;
import static io.nicup.vfio.linux.Errno.ENODEV;
import static io.nicup.vfio.linux.Errno.ENOENT;
import static io.nicup.vfio.linux.Errno.ENOMEM;
import static io.nicup.vfio.linux.Errno.ENOSPC;
import static io.nicup.vfio.linux.Errno.ENOSYS;
import static io.nicup.vfio.linux.Errno.ENOTTY;
import static io.nicup.vfio.linux.Errno.ENXIO;
import static io.nicup.vfio.linux.Errno.EOPNOTSUPP;
import static io.nicup.vfio.linux.Errno.EOVERFLOW;
import static io.nicup.vfio.linux.Errno.EPERM;

import io.nicup.vfio.DeviceAccessException.Reason;

/**
 * Turns (operation, errno) into a {@link NativeCallException} with a {@link Reason} and a remedy. The
 * VFIO-specific meanings follow docs/hardware-reference.md A.6 (drivers/vfio/group.c, container.c,
 * vfio_iommu_type1.c); everything else falls back to a generic mapping by errno.
 */
public final class VfioErrors {

    /** One decision of the table: what kind of failure and what the user can do. */
    public record Classification(Reason reason, String remedy) {
    }

    private VfioErrors() {
    }

    /**
     * The exception for a failed call.
     *
     * @param target the file, group or device concerned ({@code /dev/vfio/3}, {@code 0000:01:00.0}); may be null
     * @param detail further {@code key=value} pairs for the message; may be null
     */
    public static NativeCallException failure(NativeOp op, int errno, String target, String detail) {
        Classification c = classify(op, errno, target);
        StringBuilder d = new StringBuilder();
        if (target != null) {
            d.append("target=").append(target);
        }
        if (detail != null && !detail.isBlank()) {
            if (!d.isEmpty()) {
                d.append(' ');
            }
            d.append(detail);
        }
        return new NativeCallException(op, errno, c.reason(), d.toString(), c.remedy());
    }

    /** The reason and remedy for a failed call; {@code target} fills the remedy text (may be null). */
    public static Classification classify(NativeOp op, int errno, String target) {
        String t = target == null ? "the device" : target;
        Classification specific = switch (op) {
            case OPEN_CONTAINER -> switch (errno) {
                case ENOENT -> c(Reason.VFIO_SETUP, "/dev/vfio/vfio is missing: load vfio-pci (`modprobe vfio-pci`);"
                        + " it needs the IOMMU on (VT-d/AMD-Vi in firmware, boot with intel_iommu=on / amd_iommu=on)");
                case EACCES, EPERM -> c(Reason.PERMISSION, "run as root or give your user read/write access to "
                        + t);
                case ENODEV, ENXIO -> c(Reason.VFIO_SETUP, "the VFIO core is loaded without an IOMMU backend: "
                        + "`modprobe vfio_iommu_type1`");
                default -> null;
            };
            case OPEN_GROUP -> switch (errno) {
                case EBUSY -> c(Reason.BUSY, "the group is in use by another process (one open per group):"
                        + " stop that process; `fuser -v " + t + "` names it");
                case ENOENT -> c(Reason.VFIO_SETUP, t + " does not exist: bind the device to vfio-pci first"
                        + " (`nicup bind BDF`)");
                case EACCES -> c(Reason.PERMISSION, "run as root or chown " + t + " to your user");
                case EPERM -> c(Reason.PERMISSION, "opening " + t + " needs CAP_SYS_RAWIO (a no-IOMMU group);"
                        + " nicup does not use no-IOMMU mode: turn the IOMMU on");
                case ENODEV -> c(Reason.VFIO_SETUP, "the group has no device bound to vfio-pci or is being"
                        + " removed: re-run `nicup bind BDF`");
                default -> null;
            };
            case GROUP_SET_CONTAINER -> switch (errno) {
                case EPERM -> c(Reason.VFIO_SETUP, "the IOMMU group is not viable: another device in it is"
                        + " bound to a host driver; bind every device of the group to vfio-pci too or unbind them");
                case EBUSY -> c(Reason.BUSY, "the group is attached elsewhere (another VFIO user or a VM):"
                        + " stop that user");
                case EINVAL -> c(Reason.VFIO_SETUP, "the group already has a container");
                default -> null;
            };
            case SET_IOMMU -> switch (errno) {
                case EPERM -> c(Reason.VFIO_SETUP, "the platform lacks interrupt remapping (dmesg: \"No interrupt"
                        + " remapping support\"): enable it (QEMU: -device intel-iommu,intremap=on with"
                        + " -machine kernel-irqchip=split) or, accepting the risk, load vfio_iommu_type1 with"
                        + " allow_unsafe_interrupts=1");
                case EINVAL -> c(Reason.VFIO_SETUP, "the IOMMU type was set before a group was attached, or"
                        + " was already set");
                case ENODEV -> c(Reason.VFIO_SETUP, "no IOMMU driver accepted the group: check that the IOMMU"
                        + " is on (dmesg | grep -e DMAR -e AMD-Vi)");
                default -> null;
            };
            case GROUP_GET_DEVICE_FD -> switch (errno) {
                case EINVAL -> c(Reason.VFIO_SETUP, "the group has no container or IOMMU type yet, or " + t
                        + " is not in this group");
                case ENODEV, ENOENT -> c(Reason.NOT_FOUND, t + " is not in the group or not bound to vfio-pci:"
                        + " run `nicup bind BDF`");
                case EBUSY -> c(Reason.BUSY, t + " is already open in another VFIO user");
                default -> null;
            };
            case MAP_DMA -> switch (errno) {
                case ENOMEM -> c(Reason.RESOURCE_LIMIT, "locked-memory limit too low: raise it with `ulimit -l`"
                        + " / limits.conf memlock (or LimitMEMLOCK= for a systemd unit), current="
                        + MemlockLimit.describeCurrent());
                case ENOSPC -> c(Reason.RESOURCE_LIMIT, "the IOMMU's DMA mapping count is exhausted: raise the"
                        + " vfio_iommu_type1 module parameter dma_entry_limit, or allocate fewer, larger regions");
                case EEXIST -> c(Reason.INVALID_ARGUMENT, "the IOVA overlaps an existing mapping: a bug in the"
                        + " IOVA allocator, please report it");
                case EINVAL -> c(Reason.INVALID_ARGUMENT, "IOVA, size or address not a multiple of the IOMMU page"
                        + " size, or the IOVA lies outside the valid IOVA ranges (`nicup info` lists them)");
                default -> null;
            };
            case UNMAP_DMA -> switch (errno) {
                case EINVAL -> c(Reason.INVALID_ARGUMENT, "the unmap does not match a mapping (type1v2 refuses"
                        + " to split one): a bug, please report it");
                default -> null;
            };
            case DEVICE_RESET -> switch (errno) {
                case ENOTTY, EINVAL, EOPNOTSUPP -> c(Reason.UNSUPPORTED, t + " offers no function-level reset"
                        + " here: reset it through its own registers (e.g. CTRL.RST)");
                case EAGAIN, EBUSY -> c(Reason.BUSY, "the reset could not lock the bus: retry");
                default -> null;
            };
            case MMAP_ANONYMOUS -> switch (errno) {
                case ENOMEM -> c(Reason.RESOURCE_LIMIT, "out of memory, or no free hugepages for a MAP_HUGETLB"
                        + " mapping: reserve some (`echo 64 > /proc/sys/vm/nr_hugepages`)");
                default -> null;
            };
            case MMAP_REGION -> switch (errno) {
                case EINVAL -> c(Reason.UNSUPPORTED, "the region cannot be mapped at this offset/size (not"
                        + " page-aligned, or an area the kernel keeps, such as the MSI-X table)");
                default -> null;
            };
            default -> null;
        };
        return specific != null ? specific : generic(errno, t);
    }

    private static Classification generic(int errno, String t) {
        return switch (errno) {
            case ENOTTY -> c(Reason.UNSUPPORTED, "the kernel does not support this VFIO request on this file"
                    + " (a no-IOMMU container cannot map DMA; an old kernel may lack the ioctl)");
            case EACCES, EPERM -> c(Reason.PERMISSION, "run as root or give your user access to " + t);
            case ENOENT, ENODEV, ENXIO -> c(Reason.NOT_FOUND, t + " is not there: check the address with"
                    + " `nicup list`");
            case EBUSY -> c(Reason.BUSY, t + " is in use: stop the other user");
            case ENOMEM -> c(Reason.RESOURCE_LIMIT, "out of memory: free memory or lower the sizes asked for");
            case EMFILE, ENFILE -> c(Reason.RESOURCE_LIMIT, "too many open files: raise `ulimit -n`");
            case ENOSPC -> c(Reason.RESOURCE_LIMIT, "a kernel table is full: release resources and retry");
            case EINVAL, E2BIG, EFAULT, EBADF, EOVERFLOW -> c(Reason.INVALID_ARGUMENT, "the kernel rejected"
                    + " the arguments: a bug in nicup, please report it with this message");
            case ENOSYS, EOPNOTSUPP -> c(Reason.UNSUPPORTED, "this kernel does not offer the call: a newer kernel"
                    + " or another configuration is needed");
            case EIO -> c(Reason.HARDWARE, "the device did not respond (removed, powered down, or in error):"
                    + " check `lspci`, then reset or re-bind it");
            default -> c(Reason.SYSTEM, "");
        };
    }

    private static Classification c(Reason reason, String remedy) {
        return new Classification(reason, remedy);
    }
}
