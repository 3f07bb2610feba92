package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A VFIO group ({@code /dev/vfio/N}): opened once per process and system-wide (a second open is EBUSY),
 * checked for viability, attached to a container, and asked for device fds. Owns the group fd; closing it
 * detaches the group from its container.
 */
public final class VfioGroup implements AutoCloseable {

    private final LinuxHost host;
    private final int group;
    private final int fd;
    private final PciAddress device;
    private volatile boolean closed;

    private VfioGroup(LinuxHost host, int group, int fd, PciAddress device) {
        this.host = host;
        this.group = group;
        this.fd = fd;
        this.device = device;
    }

    /**
     * Opens {@code /dev/vfio/<group>} and checks that it is viable.
     *
     * @param device the device nicup wants from the group (for messages)
     * @throws DeviceAccessException {@code BUSY} naming the process holding the group when it can be found,
     *     {@code VFIO_SETUP} naming every other device of the group that is on a host driver
     */
    public static VfioGroup open(LinuxHost host, int group, PciAddress device) {
        VfioKernel kernel = host.kernel();
        Path path = host.groupPath(group);
        int fd;
        try {
            fd = kernel.open(path, NativeOp.OPEN_GROUP);
        } catch (NativeCallException e) {
            if (e.errno() == Errno.EBUSY) {
                throw groupBusy(host, group, path, e);
            }
            throw e;
        }
        try {
            int status = kernel.groupStatus(fd);
            if ((status & VfioAbi.GROUP_FLAGS_VIABLE) == 0) {
                throw notViable(host, group, device);
            }
            return new VfioGroup(host, group, fd, device);
        } catch (RuntimeException e) {
            try {
                kernel.close(fd);
            } catch (RuntimeException c) {
                e.addSuppressed(c);
            }
            throw e;
        }
    }

    private static DeviceAccessException groupBusy(LinuxHost host, int group, Path path, NativeCallException e) {
        List<Long> pids = host.procfs().pidsHolding(path);
        String holders = pids.isEmpty() ? "unknown"
                : pids.stream().map(p -> p + host.procfs().command(p).map(c -> "(" + c + ")").orElse(""))
                        .collect(Collectors.joining(","));
        return new NativeCallException(e.operation(), e.errno(), Reason.BUSY, "target=" + path + " group=" + group
                + " holder_pids=" + holders,
                "group " + group + " is in use by another process" + (pids.isEmpty() ? "" : " (PID " + holders + ")")
                        + ": stop it; `fuser -v " + path + "` names it");
    }

    /** The error for a group that is not viable, naming the devices on host drivers. */
    static DeviceAccessException notViable(LinuxHost host, int group, PciAddress device) {
        List<GroupMember> culprits = host.sysfs().groupMembers(group).stream()
                .filter(m -> !m.device().equals(device.toString()) && !m.compatibleWithVfio()).toList();
        if (culprits.isEmpty()) {
            return new DeviceAccessException(Reason.VFIO_SETUP, "IOMMU group not viable: bdf=" + device + " group="
                    + group, "every device of IOMMU group " + group + " must be bound to vfio-pci or unbound;"
                            + " see /sys/kernel/iommu_groups/" + group + "/devices");
        }
        return DeviceBinder.groupNotViable(group, device, culprits);
    }

    /** {@code GROUP_SET_CONTAINER}, then sets the container's IOMMU type if this is its first group. */
    public void attach(VfioContainer container) {
        try {
            host.kernel().setContainer(fd, container.fd());
        } catch (NativeCallException e) {
            if (e.errno() == Errno.EPERM) {
                DeviceAccessException detail = notViableDetail(e);
                if (detail != null) {
                    throw detail;
                }
            }
            throw e;
        }
        container.groupAttached();
    }

    private DeviceAccessException notViableDetail(NativeCallException e) {
        boolean anyCulprit = host.sysfs().groupMembers(group).stream()
                .anyMatch(m -> !m.device().equals(device.toString()) && !m.compatibleWithVfio());
        if (!anyCulprit) {
            return null;
        }
        DeviceAccessException d = notViable(host, group, device);
        d.addSuppressed(e);
        return d;
    }

    /** {@code GROUP_GET_DEVICE_FD}: a new device fd the caller owns. */
    public int openDevice(PciAddress device) {
        return host.kernel().deviceFd(fd, device.toString());
    }

    public int group() {
        return group;
    }

    public int fd() {
        return fd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            host.kernel().close(fd);
        }
    }
}
