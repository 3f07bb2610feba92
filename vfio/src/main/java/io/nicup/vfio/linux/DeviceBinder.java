package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Gives a PCI function to vfio-pci and back, through sysfs only.
 *
 * <p>Bind: refuse a device that is missing, not a network controller (unless allowed), or whose network
 * interface is up with addresses or routes (unless forced); load vfio-pci if needed (as root, with
 * {@code modprobe}); record the original driver in the state directory; then
 * {@code driver_override = vfio-pci}, unbind from the current driver, {@code drivers_probe}, and wait
 * (bounded) for {@code /dev/vfio/N}. Finally check that every other device of the IOMMU group is
 * VFIO-compatible and name those that are not. This is the dpdk-devbind sequence, except that the
 * override stays set until {@link #unbind} so that a re-probe does not hand the device back to the host.
 *
 * <p>Unbind: clear {@code driver_override}, unbind from vfio-pci and, with restore, bind the recorded
 * original driver (or let {@code drivers_probe} choose) and delete the record.
 *
 * <p>Both hold the {@link DeviceLock}, so they refuse while a nicup process is driving the device.
 */
public final class DeviceBinder {

    public static final String VFIO_PCI = "vfio-pci";

    /** Loads a kernel module. */
    @FunctionalInterface
    public interface ModuleLoader {
        void load(String module);
    }

    /**
     * @param force take the device even if its network interface is in use
     * @param allowNonNetwork bind a device whose PCI class is not 0x02 (network controller)
     * @param timeout how long to wait for the kernel to bind and create {@code /dev/vfio/N}
     * @param companions devices bound by the same operation: they do not make the group non-viable
     */
    public record BindOptions(boolean force, boolean allowNonNetwork, Duration timeout, Set<PciAddress> companions) {
        public BindOptions {
            companions = Set.copyOf(companions);
        }

        public static BindOptions defaults() {
            return new BindOptions(false, false, Duration.ofSeconds(10), Set.of());
        }

        public BindOptions withForce(boolean f) {
            return new BindOptions(f, allowNonNetwork, timeout, companions);
        }

        public BindOptions withAllowNonNetwork(boolean a) {
            return new BindOptions(force, a, timeout, companions);
        }

        public BindOptions withCompanions(Set<PciAddress> c) {
            return new BindOptions(force, allowNonNetwork, timeout, c);
        }
    }

    /**
     * @param previousDriver the driver the device had before (empty when none or when it was already on vfio-pci)
     * @param alreadyBound the device was on vfio-pci already; nothing was changed
     * @param groupDevice {@code /dev/vfio/N}
     * @param interfaces the state of its network interfaces when it was taken
     */
    public record BindResult(PciAddress address, Optional<String> previousDriver, boolean alreadyBound, int iommuGroup,
            Path groupDevice, List<NetInterfaceState> interfaces) {
    }

    /**
     * @param wasOnVfio the device was bound to vfio-pci and was unbound
     * @param driverNow the driver bound after the operation, empty when none
     */
    public record UnbindResult(PciAddress address, boolean wasOnVfio, Optional<String> driverNow) {
    }

    private static final long POLL_NANOS = 10_000_000L;

    private final LinuxHost host;
    private final ModuleLoader modules;

    public DeviceBinder(LinuxHost host) {
        this(host, DeviceBinder::modprobe);
    }

    public DeviceBinder(LinuxHost host, ModuleLoader modules) {
        this.host = host;
        this.modules = modules;
    }

    public BindResult bind(PciAddress address, BindOptions options) {
        Sysfs sysfs = host.sysfs();
        PciFunction f = sysfs.function(address).orElseThrow(() -> notFound(address));
        if (!f.identity().isNetworkController() && !options.allowNonNetwork()) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, String.format(
                    "not a network controller: bdf=%s class=0x%06x", address, f.identity().classCode()),
                    "check the address with `nicup list`; to bind it anyway allow any device class (--any-class)");
        }
        int group = f.iommuGroup().orElseThrow(() -> noIommuGroup(address));
        Path node = host.groupPath(group);
        try (DeviceLock _ = DeviceLock.acquire(host.stateDir(), address)) {
            if (f.boundTo(VFIO_PCI)) {
                waitFor(() -> Files.exists(node), options.timeout(), "device node " + node + " to appear", address);
                checkGroupViable(group, address, options.companions());
                return new BindResult(address, Optional.empty(), true, group, node, List.of());
            }
            // A group that cannot become viable is refused before anything changes: binding first and
            // finding out afterwards would leave the device on vfio-pci, useless (seen in the QEMU guest).
            List<GroupMember> culprits = groupCulprits(group, address).stream()
                    .filter(m -> m.pciAddress().map(a -> !options.companions().contains(a)).orElse(true)).toList();
            if (!culprits.isEmpty()) {
                throw groupNotViable(group, address, culprits);
            }
            NetInterfaces net = host.netInterfaces();
            List<NetInterfaceState> interfaces = f.netInterfaces().stream().map(net::inspect).toList();
            List<NetInterfaceState> active = interfaces.stream().filter(NetInterfaceState::active).toList();
            if (!active.isEmpty() && !options.force()) {
                throw new DeviceAccessException(Reason.BUSY, "network interface in use: bdf=" + address + " "
                        + active.stream().map(NetInterfaceState::toString).collect(Collectors.joining("; ")),
                        "take it down first (ip link set " + active.get(0).name() + " down and remove its addresses),"
                                + " or force the bind (--force) and lose its connections");
            }
            ensureVfioPci();
            StateStore store = host.stateStore();
            Optional<String> original = f.driver();
            Optional<BindRecord> earlier = store.load(address);
            if (original.isEmpty() && earlier.isPresent()) {
                // unbound by an earlier `unbind` without restore: keep what it had originally
                original = earlier.get().originalDriver();
            } else {
                store.save(new BindRecord(address, original, f.driverOverride(), ProcessHandle.current().pid(),
                        Instant.now()));
            }
            try {
                sysfs.writeDriverOverride(address, VFIO_PCI);
                if (f.driver().isPresent()) {
                    sysfs.unbind(f.driver().get(), address);
                }
                sysfs.probe(address);
                waitFor(() -> sysfs.driver(address).filter(VFIO_PCI::equals).isPresent(), options.timeout(),
                        "vfio-pci to bind", address);
            } catch (RuntimeException e) {
                rollBack(address, f.driver(), e);
                throw e;
            }
            waitFor(() -> Files.exists(node), options.timeout(), "device node " + node + " to appear", address);
            checkGroupViable(group, address, options.companions());
            return new BindResult(address, f.driver(), false, group, node, interfaces);
        }
    }

    public UnbindResult unbind(PciAddress address, boolean restore, Duration timeout) {
        Sysfs sysfs = host.sysfs();
        PciFunction f = sysfs.function(address).orElseThrow(() -> notFound(address));
        try (DeviceLock _ = DeviceLock.acquire(host.stateDir(), address)) {
            StateStore store = host.stateStore();
            Optional<BindRecord> record = store.load(address);
            boolean onVfio = f.boundTo(VFIO_PCI);
            if (f.driverOverride().filter(VFIO_PCI::equals).isPresent()) {
                sysfs.writeDriverOverride(address, "");
            }
            if (onVfio) {
                sysfs.unbind(VFIO_PCI, address);
                waitFor(() -> sysfs.driver(address).isEmpty(), timeout, "vfio-pci to let go", address);
            }
            if (!restore) {
                return new UnbindResult(address, onVfio, sysfs.driver(address));
            }
            if (sysfs.driver(address).isPresent()) {
                // Already on some host driver (not ours): nothing to give back.
                store.delete(address);
                return new UnbindResult(address, onVfio, sysfs.driver(address));
            }
            Optional<String> target = record.flatMap(BindRecord::originalDriver);
            if (target.isPresent() && sysfs.driverRegistered(target.get())) {
                sysfs.bind(target.get(), address);
            } else {
                sysfs.probe(address);
            }
            if (target.isPresent()) {
                String want = target.get();
                waitFor(() -> sysfs.driver(address).filter(want::equals).isPresent(), timeout,
                        "driver " + want + " to take the device back", address);
            }
            store.delete(address);
            return new UnbindResult(address, onVfio, sysfs.driver(address));
        }
    }

    /** The devices of the device's IOMMU group that keep it from being viable, empty when it is viable. */
    public List<GroupMember> groupCulprits(int group, PciAddress self) {
        return host.sysfs().groupMembers(group).stream()
                .filter(m -> !m.device().equals(self.toString()) && !m.compatibleWithVfio()).toList();
    }

    private void checkGroupViable(int group, PciAddress self, Set<PciAddress> companions) {
        List<GroupMember> culprits = groupCulprits(group, self).stream()
                .filter(m -> m.pciAddress().map(a -> !companions.contains(a)).orElse(true)).toList();
        if (!culprits.isEmpty()) {
            throw groupNotViable(group, self, culprits);
        }
    }

    /** The error for an IOMMU group with devices on host drivers, naming each of them. */
    static DeviceAccessException groupNotViable(int group, PciAddress self, List<GroupMember> culprits) {
        String list = culprits.stream().map(m -> m.device() + "(driver=" + m.driver().orElse("none") + ")")
                .collect(Collectors.joining(","));
        return new DeviceAccessException(Reason.VFIO_SETUP, "IOMMU group not viable: bdf=" + self + " group=" + group
                + " other_devices=" + list,
                "every device of IOMMU group " + group + " must be on vfio-pci or unbound: bind them to vfio-pci too ("
                        + culprits.stream().map(m -> "`nicup bind " + m.device() + "`")
                                .collect(Collectors.joining(", "))
                        + ") or unbind them from their drivers");
    }

    private void rollBack(PciAddress address, Optional<String> original, RuntimeException cause) {
        try {
            host.sysfs().writeDriverOverride(address, "");
            if (host.sysfs().driver(address).isEmpty()) {
                if (original.isPresent() && host.sysfs().driverRegistered(original.get())) {
                    host.sysfs().bind(original.get(), address);
                } else {
                    host.sysfs().probe(address);
                }
            }
            host.stateStore().delete(address);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void ensureVfioPci() {
        Sysfs sysfs = host.sysfs();
        if (sysfs.driverRegistered(VFIO_PCI)) {
            return;
        }
        if (!host.procfs().isRoot()) {
            throw new DeviceAccessException(Reason.PERMISSION, "vfio-pci is not loaded and this process is not root:"
                    + " driver_dir=" + sysfs.driversDir().resolve(VFIO_PCI),
                    "run as root, or load it first: `sudo modprobe vfio-pci`");
        }
        modules.load(VFIO_PCI);
        waitFor(() -> sysfs.driverRegistered(VFIO_PCI), Duration.ofSeconds(5), "vfio-pci to register", null);
    }

    private void waitFor(BooleanSupplier condition, Duration timeout, String what, PciAddress address) {
        long deadline = host.clock().nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (host.clock().nanoTime() - deadline >= 0) {
                throw new DeviceAccessException(Reason.VFIO_SETUP, "timed out waiting for " + what
                        + (address == null ? "" : ": bdf=" + address) + " timeout_ms=" + timeout.toMillis(),
                        "see `dmesg | tail` for what the kernel said");
            }
            host.clock().sleepNanos(POLL_NANOS);
        }
    }

    private static DeviceAccessException notFound(PciAddress address) {
        return new DeviceAccessException(Reason.NOT_FOUND, "no such PCI device: bdf=" + address,
                "`nicup list` (or `lspci -D`) shows the devices present");
    }

    static DeviceAccessException noIommuGroup(PciAddress address) {
        return new DeviceAccessException(Reason.VFIO_SETUP, "device has no IOMMU group (IOMMU off): bdf=" + address,
                "enable VT-d/AMD-Vi in firmware and boot with intel_iommu=on / amd_iommu=on"
                        + " (in a QEMU guest: -device intel-iommu,intremap=on on a q35 machine)");
    }

    /** Runs {@code modprobe <module>} and waits up to 60 s for it. */
    public static void modprobe(String module) {
        ProcessBuilder pb = new ProcessBuilder("modprobe", module).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DeviceAccessException(Reason.VFIO_SETUP, "modprobe timed out: module=" + module,
                        "load it by hand: `modprobe " + module + "`");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new DeviceAccessException(Reason.VFIO_SETUP, "modprobe failed: module=" + module + " exit="
                        + p.exitValue() + " output=" + out.replace('\n', ' '),
                        "install the kernel's modules (CONFIG_VFIO_PCI) and load it: `modprobe " + module + "`");
            }
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.VFIO_SETUP, "cannot run modprobe: module=" + module + " error=" + e,
                    "install kmod or load the module by hand: `modprobe " + module + "`", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceAccessException(Reason.SYSTEM, "interrupted while loading module: module=" + module, "", e);
        }
    }
}
