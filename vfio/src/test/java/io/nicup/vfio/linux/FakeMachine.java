package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.PciAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A fake machine in a temporary directory: {@code sys/}, {@code proc/}, {@code dev/} and {@code state/}
 * trees laid out like the real ones, a {@link FakeSysfs} that records every sysfs write and plays the
 * kernel's part (drivers_probe binds by driver_override, vfio-pci creates /dev/vfio/N), a virtual clock,
 * and a {@link FakeVfioKernel}.
 */
public final class FakeMachine {

    final Path root;
    final Path sys;
    final Path proc;
    public final Path dev;
    public final Path state;
    public final FakeSysfs sysfs;
    final Procfs procfs;
    final FakeVfioKernel kernel = new FakeVfioKernel();
    final VirtualClock clock = new VirtualClock();

    public FakeMachine(Path root) {
        this.root = root;
        this.sys = root.resolve("sys");
        this.proc = root.resolve("proc");
        this.dev = root.resolve("dev");
        this.state = root.resolve("state");
        mkdirs(sys.resolve("bus/pci/devices"));
        mkdirs(sys.resolve("bus/pci/drivers"));
        mkdirs(sys.resolve("kernel/iommu_groups"));
        mkdirs(sys.resolve("class/net"));
        mkdirs(dev.resolve("vfio"));
        touch(sys.resolve("bus/pci/drivers_probe"), "");
        this.sysfs = new FakeSysfs(sys);
        this.procfs = new Procfs(proc);
        status(0, 1L << Procfs.CAP_IPC_LOCK);
        write(proc.resolve("net/route"), "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n");
        write(proc.resolve("net/if_inet6"), "");
        write(proc.resolve("net/fib_trie"), "");
    }

    public LinuxHost host() {
        return new LinuxHost(sysfs, procfs, dev, state, kernel, clock);
    }

    /** {@code proc/self/status} with the given effective uid and effective capabilities. */
    public FakeMachine status(long euid, long capEff) {
        write(proc.resolve("self/status"), "Name:\tjava\nUid:\t" + euid + "\t" + euid + "\t" + euid + "\t" + euid
                + "\nCapEff:\t" + String.format("%016x", capEff) + "\n");
        return this;
    }

    /** Sets this process's RLIMIT_MEMLOCK as the fake kernel reports it. */
    public FakeMachine memlock(long bytes) {
        kernel.memlock = new MemlockLimit(bytes, bytes);
        return this;
    }

    /** Writes {@code etc/passwd} next to {@code dev}, where {@link GroupOwnership} looks users up. */
    public FakeMachine passwd(String text) {
        try {
            java.nio.file.Files.createDirectories(root.resolve("etc"));
            java.nio.file.Files.writeString(root.resolve("etc/passwd"), text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return this;
    }

    public FakeMachine driver(String name) {
        Path d = sys.resolve("bus/pci/drivers").resolve(name);
        mkdirs(d);
        touch(d.resolve("bind"), "");
        touch(d.resolve("unbind"), "");
        return this;
    }

    /** Adds a PCI function. */
    public DeviceBuilder device(String bdf) {
        return new DeviceBuilder(PciAddress.parse(bdf));
    }

    public final class DeviceBuilder {
        final PciAddress address;
        final Path dir;

        DeviceBuilder(PciAddress address) {
            this.address = address;
            this.dir = sys.resolve("bus/pci/devices").resolve(address.toString());
            mkdirs(dir);
            write(dir.resolve("vendor"), "0x8086\n");
            write(dir.resolve("device"), "0x10d3\n");
            write(dir.resolve("subsystem_vendor"), "0x8086\n");
            write(dir.resolve("subsystem_device"), "0x0000\n");
            write(dir.resolve("class"), "0x020000\n");
            write(dir.resolve("revision"), "0x00\n");
            write(dir.resolve("numa_node"), "-1\n");
            write(dir.resolve("driver_override"), "(null)\n");
            write(dir.resolve("resource"), "0x00000000febc0000 0x00000000febdffff 0x0000000000040200\n"
                    + "0x00000000feba0000 0x00000000febbffff 0x0000000000040200\n"
                    + "0x000000000000c000 0x000000000000c01f 0x0000000000040101\n"
                    + "0x00000000febf0000 0x00000000febf3fff 0x0000000000040200\n"
                    + "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
                    + "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
                    + "0x0000000000000000 0x0000000000000000 0x0000000000000000\n");
        }

        public DeviceBuilder ids(int vendor, int device, int classCode) {
            write(dir.resolve("vendor"), String.format("0x%04x\n", vendor));
            write(dir.resolve("device"), String.format("0x%04x\n", device));
            write(dir.resolve("class"), String.format("0x%06x\n", classCode));
            return this;
        }

        public DeviceBuilder boundTo(String driver) {
            driver(driver);
            sysfs.link(address, driver);
            return this;
        }

        public DeviceBuilder group(int n) {
            Path g = sys.resolve("kernel/iommu_groups").resolve(Integer.toString(n)).resolve("devices");
            mkdirs(g);
            symlink(g.resolve(address.toString()), dir);
            symlink(dir.resolve("iommu_group"), g.getParent());
            sysfs.groups.put(address, n);
            if (sysfs.driver(address).filter("vfio-pci"::equals).isPresent()) {
                touch(dev.resolve("vfio").resolve(Integer.toString(n)), "");
            }
            return this;
        }

        /** A network interface of this function with the given flags and operstate. */
        public DeviceBuilder net(String iface, long flags, String operstate) {
            mkdirs(dir.resolve("net").resolve(iface));
            Path c = sys.resolve("class/net").resolve(iface);
            mkdirs(c);
            write(c.resolve("flags"), String.format("0x%x\n", flags));
            write(c.resolve("operstate"), operstate + "\n");
            return this;
        }

        /**
         * A network interface on a bus below the function, laid out as virtio-pci does it: the virtio
         * device {@code virtioN/} under the function, its {@code net/<if>} inside, and the links sysfs puts
         * there ({@code driver}, {@code subsystem}) pointing out of the subtree.
         */
        public DeviceBuilder virtioNet(String virtioDevice, String iface, long flags, String operstate) {
            Path v = dir.resolve(virtioDevice);
            mkdirs(v.resolve("power"));
            write(v.resolve("features"), "0110010111011111111101010000110010000000000000000000000000000000\n");
            mkdirs(sys.resolve("bus/virtio/drivers/virtio_net"));
            symlink(v.resolve("driver"), sys.resolve("bus/virtio/drivers/virtio_net"));
            symlink(v.resolve("subsystem"), sys.resolve("bus/virtio"));
            return netAt(v.resolve("net"), iface, flags, operstate);
        }

        /** A network interface in {@code netDir}, a {@code net/} directory anywhere below the function. */
        public DeviceBuilder netAt(Path netDir, String iface, long flags, String operstate) {
            mkdirs(netDir.resolve(iface).resolve("queues/rx-0"));
            Path c = sys.resolve("class/net").resolve(iface);
            mkdirs(c);
            write(c.resolve("flags"), String.format("0x%x\n", flags));
            write(c.resolve("operstate"), operstate + "\n");
            return this;
        }

        /** The {@code config} file: the function's config space as sysfs shows it to root. */
        public DeviceBuilder config(byte[] bytes) {
            try {
                Files.write(dir.resolve("config"), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        public Path dir() {
            return dir;
        }

        /** The driver drivers_probe picks when no override is set. */
        public DeviceBuilder defaultDriver(String driver) {
            driver(driver);
            sysfs.defaults.put(address, driver);
            return this;
        }
    }

    /** Records sysfs writes (relative to the root) and plays the kernel. */
    public final class FakeSysfs extends Sysfs {
        public final List<String> writes = new ArrayList<>();
        final Map<PciAddress, Integer> groups = new HashMap<>();
        final Map<PciAddress, String> defaults = new HashMap<>();
        /** Drivers that ignore binds (to test time-outs). */
        final Set<String> refusing = new HashSet<>();

        FakeSysfs(Path root) {
            super(root);
        }

        @Override
        protected void write(Path file, String value) {
            String rel = sys.relativize(file).toString();
            writes.add(rel + "=" + value.strip());
            if (!Files.exists(file)) {
                super.write(file, value); // produces the real NOT_FOUND error
            }
            if (rel.endsWith("/driver_override")) {
                FakeMachine.write(file, value.strip().isEmpty() ? "(null)\n" : value.strip() + "\n");
            } else if (rel.startsWith("bus/pci/drivers/") && rel.endsWith("/unbind")) {
                PciAddress a = PciAddress.parse(value.strip());
                String drv = file.getParent().getFileName().toString();
                if (driver(a).filter(drv::equals).isEmpty()) {
                    throw new io.nicup.vfio.DeviceAccessException(io.nicup.vfio.DeviceAccessException.Reason.SYSTEM,
                            "sysfs write failed: not bound", "");
                }
                unlink(a);
            } else if (rel.startsWith("bus/pci/drivers/") && rel.endsWith("/bind")) {
                link(PciAddress.parse(value.strip()), file.getParent().getFileName().toString());
            } else if (rel.equals("bus/pci/drivers_probe")) {
                PciAddress a = PciAddress.parse(value.strip());
                if (driver(a).isPresent()) {
                    return;
                }
                Optional<String> target = driverOverride(a).or(() -> Optional.ofNullable(defaults.get(a)));
                target.filter(this::driverRegistered).ifPresent(t -> link(a, t));
            }
        }

        void link(PciAddress a, String driver) {
            if (refusing.contains(driver)) {
                return;
            }
            Path d = deviceDir(a);
            unlinkQuietly(d.resolve("driver"));
            symlink(d.resolve("driver"), driversDir().resolve(driver));
            if (driver.equals("vfio-pci") && groups.containsKey(a)) {
                touch(dev.resolve("vfio").resolve(Integer.toString(groups.get(a))), "");
            }
        }

        void unlink(PciAddress a) {
            unlinkQuietly(deviceDir(a).resolve("driver"));
        }
    }

    /** Virtual time: sleeping advances it. */
    static final class VirtualClock implements DeviceClock {
        long now = 1_000_000_000L;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleepNanos(long nanos) {
            now += Math.max(nanos, 1);
        }
    }

    // ---------------------------------------------------------------------------------------------

    static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void touch(Path p, String text) {
        if (!Files.exists(p)) {
            write(p, text);
        }
    }

    static void symlink(Path link, Path target) {
        try {
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void unlinkQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
