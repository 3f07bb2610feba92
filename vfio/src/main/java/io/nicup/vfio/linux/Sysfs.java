package io.nicup.vfio.linux;

import io.nicup.vfio.ConfigSpaceSnapshot;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.PciAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The PCI and IOMMU parts of sysfs, read and written as files under a root that defaults to {@code /sys}
 * and can be a fake tree in a temporary directory. Writes go through {@link #write(Path, String)} so a
 * test double can record them and play the kernel's part.
 *
 * <p>Paths used (Documentation/ABI/testing/sysfs-bus-pci, sysfs-kernel-iommu_groups):
 * {@code bus/pci/devices/<BDF>/{vendor,device,subsystem_vendor,subsystem_device,class,revision,numa_node,
 * config,resource,driver,iommu_group,driver_override}} and the {@code net/} directories of the device's subtree
 * ({@code net/<if>}, {@code virtioN/net/<if>}), {@code bus/pci/drivers/<name>/{bind,unbind}},
 * {@code bus/pci/drivers_probe}, {@code kernel/iommu_groups/<N>/devices/}, {@code class/net/<if>/},
 * {@code kernel/mm/hugepages/hugepages-2048kB/}.
 */
public class Sysfs {

    private final Path root;

    public Sysfs(Path root) {
        this.root = root;
    }

    /** The real {@code /sys}. */
    public static Sysfs system() {
        return new Sysfs(Path.of("/sys"));
    }

    public Path root() {
        return root;
    }

    public Path devicesDir() {
        return root.resolve("bus/pci/devices");
    }

    public Path deviceDir(PciAddress address) {
        return devicesDir().resolve(address.toString());
    }

    public Path driversDir() {
        return root.resolve("bus/pci/drivers");
    }

    public Path iommuGroupsDir() {
        return root.resolve("kernel/iommu_groups");
    }

    public Path netClassDir() {
        return root.resolve("class/net");
    }

    /** Every PCI function, sorted by address. */
    public List<PciFunction> functions() {
        List<PciFunction> out = new ArrayList<>();
        for (Path dir : list(devicesDir())) {
            PciAddress a;
            try {
                a = PciAddress.parse(dir.getFileName().toString());
            } catch (DeviceAccessException e) {
                continue;
            }
            function(a).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(PciFunction::address));
        return out;
    }

    public boolean exists(PciAddress address) {
        return Files.isDirectory(deviceDir(address));
    }

    /** The function at {@code address}, or empty when sysfs has no such device. */
    public Optional<PciFunction> function(PciAddress address) {
        Path d = deviceDir(address);
        if (!Files.isDirectory(d)) {
            return Optional.empty();
        }
        int classCode = (int) hex(d.resolve("class")).orElse(0);
        DeviceIdentity id = new DeviceIdentity((int) hex(d.resolve("vendor")).orElse(0xFFFF),
                (int) hex(d.resolve("device")).orElse(0xFFFF), (int) hex(d.resolve("subsystem_vendor")).orElse(0),
                (int) hex(d.resolve("subsystem_device")).orElse(0), classCode,
                (int) hex(d.resolve("revision")).orElse(0));
        int numa = read(d.resolve("numa_node")).map(s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                return -1;
            }
        }).orElse(-1);
        return Optional.of(new PciFunction(address, id, driver(address), iommuGroup(address), numa,
                resources(address), netInterfaces(address), driverOverride(address)));
    }

    /**
     * The kernel network interfaces of the function: every {@code net/} directory of its subtree, so that
     * an interface on a bus below the function counts too (virtio-net's is at {@code virtioN/net/<if>}).
     */
    public List<String> netInterfaces(PciAddress address) {
        return FunctionInterfaces.find(deviceDir(address));
    }

    /**
     * The function's config space as the kernel shows it in {@code config}: 256 or 4096 bytes for root,
     * the 64-byte header for anyone else. Read-only: nicup never writes this file. Empty when it cannot
     * be read.
     */
    public Optional<ConfigSpaceSnapshot> config(PciAddress address) {
        try {
            return Optional.of(new ConfigSpaceSnapshot(Files.readAllBytes(deviceDir(address).resolve("config"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The bound driver's name ({@code readlink driver}). */
    public Optional<String> driver(PciAddress address) {
        return linkName(deviceDir(address).resolve("driver"));
    }

    /** The IOMMU group number ({@code readlink iommu_group}); empty when the device has none (IOMMU off). */
    public OptionalInt iommuGroup(PciAddress address) {
        Optional<String> name = linkName(deviceDir(address).resolve("iommu_group"));
        if (name.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(name.get()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public Optional<String> driverOverride(PciAddress address) {
        return read(deviceDir(address).resolve("driver_override")).filter(s -> !s.isEmpty() && !s.equals("(null)"));
    }

    /** The {@code resource} file parsed line by line. */
    public List<PciResource> resources(PciAddress address) {
        return parseResources(read(deviceDir(address).resolve("resource")).orElse(""));
    }

    /** Parses the text of a sysfs {@code resource} file: lines of {@code 0xSTART 0xEND 0xFLAGS}. */
    public static List<PciResource> parseResources(String text) {
        List<PciResource> out = new ArrayList<>();
        int index = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 3) {
                continue;
            }
            try {
                out.add(new PciResource(index, Long.parseUnsignedLong(strip0x(f[0]), 16),
                        Long.parseUnsignedLong(strip0x(f[1]), 16), Long.parseUnsignedLong(strip0x(f[2]), 16)));
            } catch (NumberFormatException e) {
                continue;
            }
            index++;
        }
        return out;
    }

    /** The devices of IOMMU group {@code group} with their drivers, sorted by name. */
    public List<GroupMember> groupMembers(int group) {
        List<GroupMember> out = new ArrayList<>();
        for (Path dev : list(iommuGroupsDir().resolve(Integer.toString(group)).resolve("devices"))) {
            String name = dev.getFileName().toString();
            Optional<String> drv = linkName(dev.resolve("driver"));
            if (drv.isEmpty()) {
                // The group's entries are links into /sys/devices; fall back to the bus view.
                drv = linkName(devicesDir().resolve(name).resolve("driver"));
            }
            out.add(new GroupMember(name, drv));
        }
        out.sort(Comparator.comparing(GroupMember::device));
        return out;
    }

    /** Whether the IOMMU is on: {@code /sys/kernel/iommu_groups} has at least one group. */
    public boolean iommuEnabled() {
        return !list(iommuGroupsDir()).isEmpty();
    }

    /** Whether a PCI driver is registered ({@code /sys/bus/pci/drivers/<name>} exists). */
    public boolean driverRegistered(String driver) {
        return Files.isDirectory(driversDir().resolve(driver));
    }

    /** Writes {@code driver_override}; an empty {@code driver} clears it (a lone newline, as the kernel wants). */
    public void writeDriverOverride(PciAddress address, String driver) {
        write(deviceDir(address).resolve("driver_override"), driver.isEmpty() ? "\n" : driver);
    }

    /** Unbinds the device from {@code driver} ({@code drivers/<driver>/unbind}). */
    public void unbind(String driver, PciAddress address) {
        write(driversDir().resolve(driver).resolve("unbind"), address.toString());
    }

    /** Binds the device to {@code driver} ({@code drivers/<driver>/bind}). */
    public void bind(String driver, PciAddress address) {
        write(driversDir().resolve(driver).resolve("bind"), address.toString());
    }

    /** Asks the kernel to find a driver for the device ({@code bus/pci/drivers_probe}), honouring driver_override. */
    public void probe(PciAddress address) {
        write(root.resolve("bus/pci/drivers_probe"), address.toString());
    }

    /** {@code class/net/<if>/operstate} ("up", "down", "unknown", ...). */
    public Optional<String> netOperstate(String iface) {
        return read(netClassDir().resolve(iface).resolve("operstate"));
    }

    /** {@code class/net/<if>/flags} (IFF_* bits, e.g. IFF_UP 0x1). */
    public OptionalLong netFlags(String iface) {
        return hex(netClassDir().resolve(iface).resolve("flags"));
    }

    /** Free 2 MiB hugepages ({@code kernel/mm/hugepages/hugepages-2048kB/free_hugepages}); empty if unknown. */
    public OptionalLong freeHugePages2M() {
        return read(root.resolve("kernel/mm/hugepages/hugepages-2048kB/free_hugepages")).map(s -> {
            try {
                return OptionalLong.of(Long.parseLong(s));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
    }

    /** A module parameter ({@code module/<m>/parameters/<p>}). */
    public Optional<String> moduleParameter(String module, String parameter) {
        return read(root.resolve("module").resolve(module).resolve("parameters").resolve(parameter));
    }

    /**
     * Writes {@code value} to an existing sysfs attribute (no create, no truncate beyond what the kernel
     * does). A test double overrides this to record the write and play the kernel's part.
     */
    protected void write(Path file, String value) {
        try {
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new DeviceAccessException(Reason.PERMISSION, "sysfs write denied: file=" + file + " value=" + value.strip(),
                    "run as root (sysfs driver attributes are writable by root only)", e);
        } catch (NoSuchFileException e) {
            throw new DeviceAccessException(Reason.NOT_FOUND, "sysfs attribute missing: file=" + file,
                    "check the device address with `nicup list` and that the driver is loaded", e);
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.SYSTEM, "sysfs write failed: file=" + file + " value="
                    + value.strip() + " error=" + e.getMessage(),
                    "the kernel refused the request: see `dmesg | tail` for the reason", e);
        }
    }

    /** The trimmed content of a file, empty when it cannot be read. */
    public static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static OptionalLong hex(Path file) {
        Optional<String> s = read(file);
        if (s.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseUnsignedLong(strip0x(s.get()), 16));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static String strip0x(String s) {
        return s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    }

    /** The last path element of a symbolic link's target, empty when it is not a link. */
    static Optional<String> linkName(Path link) {
        try {
            Path target = Files.readSymbolicLink(link);
            Path name = target.getFileName();
            return name == null ? Optional.empty() : Optional.of(name.toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** The entries of a directory, empty when it does not exist. */
    static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            List<Path> out = new ArrayList<>();
            s.forEach(out::add);
            out.sort(Comparator.comparing(Path::toString));
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }
}
