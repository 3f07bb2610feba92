package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Checks, before anything is opened, that this machine can drive a device through VFIO, and says
 * precisely what to do about each problem. Nothing is changed (a lock left by a live process is only
 * probed).
 */
public final class Preflight {

    /** The locked memory nicup needs by default: a few 2 MiB hugepages for rings and buffers. */
    public static final long DEFAULT_REQUIRED_LOCKED_BYTES = 8L << 20;

    public enum Status { OK, WARN, FAIL }

    /**
     * @param name a stable key ({@code "iommu"}, {@code "memlock"}, ...)
     * @param reason for a FAIL, the {@link Reason} the CLI maps to an exit code; null otherwise
     */
    public record Check(String name, Status status, String detail, String remedy, Reason reason) {
        @Override
        public String toString() {
            return status + " " + name + ": " + detail + (remedy.isEmpty() ? "" : " -> " + remedy);
        }
    }

    public record Report(List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        /** No check failed (warnings allowed). */
        public boolean ok() {
            return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
        }

        public List<Check> failures() {
            return checks.stream().filter(c -> c.status() == Status.FAIL).toList();
        }

        public Optional<Check> check(String name) {
            return checks.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        /** The first failure as an exception, for callers that want to stop there. */
        public void throwIfFailed() {
            Optional<Check> f = checks.stream().filter(c -> c.status() == Status.FAIL).findFirst();
            if (f.isPresent()) {
                throw new DeviceAccessException(f.get().reason(), "preflight failed: check=" + f.get().name() + " "
                        + f.get().detail(), f.get().remedy());
            }
        }

        @Override
        public String toString() {
            return checks.stream().map(Check::toString).collect(Collectors.joining("\n"));
        }
    }

    private final LinuxHost host;
    private final long requiredLockedBytes;

    public Preflight(LinuxHost host) {
        this(host, DEFAULT_REQUIRED_LOCKED_BYTES);
    }

    public Preflight(LinuxHost host, long requiredLockedBytes) {
        this.host = host;
        this.requiredLockedBytes = requiredLockedBytes;
    }

    /** Checks the machine, and the device too when {@code device} is given. */
    public Report run(Optional<PciAddress> device) {
        List<Check> out = new ArrayList<>();
        Sysfs sysfs = host.sysfs();
        Path container = host.containerPath();
        if (Files.exists(container)) {
            out.add(ok("vfio-device", container + " present"));
        } else {
            out.add(fail("vfio-device", container + " missing", "load vfio-pci: `modprobe vfio-pci` (as root)",
                    Reason.VFIO_SETUP));
        }
        if (sysfs.iommuEnabled()) {
            out.add(ok("iommu", Sysfs.list(sysfs.iommuGroupsDir()).size() + " IOMMU groups"));
        } else {
            out.add(fail("iommu", "IOMMU off: " + sysfs.iommuGroupsDir() + " is empty",
                    "enable VT-d/AMD-Vi in firmware and boot with intel_iommu=on / amd_iommu=on (in a QEMU guest:"
                            + " -machine q35 -device intel-iommu,intremap=on)", Reason.VFIO_SETUP));
        }
        if (sysfs.driverRegistered(DeviceBinder.VFIO_PCI)) {
            out.add(ok("vfio-pci", "driver vfio-pci loaded"));
        } else {
            out.add(warn("vfio-pci", "driver vfio-pci not loaded",
                    "`nicup bind BDF` loads it when run as root, or `modprobe vfio-pci`"));
        }
        if (sysfs.moduleParameter("vfio_iommu_type1", "allow_unsafe_interrupts").filter("Y"::equals).isPresent()) {
            out.add(warn("interrupt-remapping", "vfio_iommu_type1.allow_unsafe_interrupts=Y: devices can inject"
                    + " interrupts", "use a platform with interrupt remapping when you can"));
        }
        device.ifPresent(d -> checkDevice(d, out));
        checkMemlock(out);
        OptionalLong huge = sysfs.freeHugePages2M();
        if (huge.isPresent() && huge.getAsLong() > 0) {
            out.add(ok("hugepages", huge.getAsLong() + " free 2 MiB hugepages"));
        } else {
            out.add(warn("hugepages", "no free 2 MiB hugepages: DMA memory falls back to 4 KiB pages",
                    "reserve some: `echo 64 > /proc/sys/vm/nr_hugepages` or boot with hugepages=64"));
        }
        return new Report(out);
    }

    private void checkDevice(PciAddress d, List<Check> out) {
        Sysfs sysfs = host.sysfs();
        if (!sysfs.exists(d)) {
            out.add(fail("device", "no such PCI device: " + d, "`nicup list` shows the devices present",
                    Reason.NOT_FOUND));
            return;
        }
        Optional<String> driver = sysfs.driver(d);
        if (driver.filter(DeviceBinder.VFIO_PCI::equals).isPresent()) {
            out.add(ok("device-driver", d + " bound to vfio-pci"));
        } else {
            out.add(fail("device-driver", d + " bound to " + driver.orElse("no driver") + ", not vfio-pci",
                    "run `nicup bind " + d + "`", Reason.VFIO_SETUP));
        }
        OptionalInt group = sysfs.iommuGroup(d);
        if (group.isEmpty()) {
            out.add(fail("device-group", d + " has no IOMMU group", "turn the IOMMU on (see check iommu)",
                    Reason.VFIO_SETUP));
            return;
        }
        int g = group.getAsInt();
        List<GroupMember> culprits = new DeviceBinder(host).groupCulprits(g, d);
        if (culprits.isEmpty()) {
            out.add(ok("group-viable", "IOMMU group " + g + ": " + sysfs.groupMembers(g)));
        } else {
            DeviceAccessException e = DeviceBinder.groupNotViable(g, d, culprits);
            out.add(fail("group-viable", e.getMessage(), e.remedy(), Reason.VFIO_SETUP));
        }
        Path node = host.groupPath(g);
        if (!Files.exists(node)) {
            if (driver.filter(DeviceBinder.VFIO_PCI::equals).isPresent()) {
                out.add(fail("group-access", node + " missing although the device is on vfio-pci",
                        "re-bind: `nicup unbind " + d + "` then `nicup bind " + d + "`", Reason.VFIO_SETUP));
            }
        } else if (host.procfs().isRoot() || (Files.isReadable(node) && Files.isWritable(node))) {
            out.add(ok("group-access", node + " accessible"));
        } else {
            out.add(fail("group-access", "no read/write access to " + node,
                    "run as root or chown " + node + " to your user", Reason.PERMISSION));
        }
        Path lockFile = DeviceLock.lockFile(host.stateDir(), d);
        if (Files.exists(lockFile)) {
            try (DeviceLock _ = DeviceLock.acquire(host.stateDir(), d)) {
                out.add(ok("device-lock", "no other nicup uses " + d));
            } catch (DeviceAccessException e) {
                out.add(new Check("device-lock", e.reason() == Reason.BUSY ? Status.FAIL : Status.WARN, e.getMessage(),
                        e.remedy(), e.reason()));
            }
        }
    }

    private void checkMemlock(List<Check> out) {
        MemlockLimit limit;
        try {
            limit = host.kernel().memlockLimit();
        } catch (DeviceAccessException e) {
            out.add(warn("memlock", "cannot read RLIMIT_MEMLOCK: " + e.getMessage(), ""));
            return;
        }
        if (limit.unlimited()) {
            out.add(ok("memlock", "locked-memory limit unlimited"));
        } else if (host.procfs().hasCapability(Procfs.CAP_IPC_LOCK)) {
            out.add(ok("memlock", "CAP_IPC_LOCK held: pinned memory is not charged to the locked-memory limit ("
                    + limit.describe() + ")"));
        } else if (Long.compareUnsigned(limit.current(), requiredLockedBytes) >= 0) {
            out.add(ok("memlock", "locked-memory limit " + limit.describe()));
        } else {
            out.add(fail("memlock", "locked-memory limit too low: current=" + limit.describe() + " needed="
                    + requiredLockedBytes + " bytes (" + requiredLockedBytes / 1024 + " KiB)",
                    "raise it with `ulimit -l " + requiredLockedBytes / 1024 + "` (hard limit permitting) or a"
                            + " memlock line in /etc/security/limits.conf (LimitMEMLOCK= for a systemd unit), or run as root",
                    Reason.RESOURCE_LIMIT));
        }
    }

    private static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, "", null);
    }

    private static Check warn(String name, String detail, String remedy) {
        return new Check(name, Status.WARN, detail, remedy, null);
    }

    private static Check fail(String name, String detail, String remedy, Reason reason) {
        return new Check(name, Status.FAIL, detail, remedy, reason);
    }
}
