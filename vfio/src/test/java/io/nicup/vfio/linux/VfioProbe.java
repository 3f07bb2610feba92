package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.RegisterSpace;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A small driver of this package for hardware-in-the-loop runs and by-hand diagnosis, printing
 * {@code key=value} lines. Not the CLI (that is module {@code cli}); it exists so that a QEMU guest can
 * exercise bind, open, info and unbind with nothing but this module's jar:
 * {@snippet lang=sh :
 * java --enable-native-access=ALL-UNNAMED -cp nicup-vfio.jar io.nicup.vfio.linux.VfioProbe selftest 0000:00:03.0
 * }
 * Commands: {@code list}, {@code preflight [BDF]}, {@code bind BDF [--force] [--any-class]},
 * {@code unbind BDF [--restore]}, {@code info BDF}, {@code selftest BDF}. Exit status 0 on success, 1 on a
 * {@link DeviceAccessException} (printed as {@code error reason=... message=... remedy=...}), 2 on bad usage.
 */
public final class VfioProbe {

    private VfioProbe() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, LinuxHost.system()));
    }

    /** Runs one command on {@code host}; returns the exit status. */
    public static int run(String[] args, PrintStream out, LinuxHost host) {
        if (args.length == 0) {
            out.println("usage: VfioProbe list | preflight [BDF] | bind BDF [--force] [--any-class]"
                    + " | unbind BDF [--restore] | info BDF | selftest BDF");
            return 2;
        }
        List<String> flags = Arrays.asList(args).subList(1, args.length);
        try {
            Optional<PciAddress> bdf = args.length > 1 && !args[1].startsWith("--")
                    ? Optional.of(PciAddress.parse(args[1])) : Optional.empty();
            switch (args[0]) {
                case "list" -> host.sysfs().functions().forEach(f -> out.println("function " + f));
                case "preflight" -> {
                    Preflight.Report r = new Preflight(host).run(bdf);
                    r.checks().forEach(c -> out.println("check " + c));
                    return r.ok() ? 0 : 1;
                }
                case "bind" -> {
                    DeviceBinder.BindOptions o = DeviceBinder.BindOptions.defaults()
                            .withForce(flags.contains("--force")).withAllowNonNetwork(flags.contains("--any-class"));
                    DeviceBinder.BindResult r = new DeviceBinder(host).bind(need(bdf), o);
                    out.println("bound bdf=" + r.address() + " previous_driver=" + r.previousDriver().orElse("none")
                            + " already=" + r.alreadyBound() + " group=" + r.iommuGroup() + " node=" + r.groupDevice());
                }
                case "unbind" -> {
                    DeviceBinder.UnbindResult r = new DeviceBinder(host).unbind(need(bdf), flags.contains("--restore"),
                            Duration.ofSeconds(10));
                    out.println("unbound bdf=" + r.address() + " was_on_vfio=" + r.wasOnVfio() + " driver_now="
                            + r.driverNow().orElse("none"));
                }
                case "info" -> {
                    try (VfioPciDevice d = VfioPciDevice.open(need(bdf), host, VfioPciDevice.OpenOptions.defaults())) {
                        for (Map.Entry<String, String> e : d.summary().entrySet()) {
                            out.println(e.getKey() + "=" + e.getValue());
                        }
                    }
                }
                case "selftest" -> selftest(need(bdf), out, host);
                case "regs" -> regs(need(bdf), out, host);
                case "dma" -> dma(need(bdf), out, host);
                case "msix" -> msix(need(bdf), out, host);
                case "hold" -> hold(need(bdf), out, host, flags);
                default -> {
                    out.println("unknown command: " + args[0]);
                    return 2;
                }
            }
            return 0;
        } catch (DeviceAccessException e) {
            out.println("error reason=" + e.reason() + " message=" + e.getMessage() + " remedy=" + e.remedy());
            return 1;
        }
    }

    private static PciAddress need(Optional<PciAddress> bdf) {
        return bdf.orElseThrow(() -> new DeviceAccessException(DeviceAccessException.Reason.INVALID_ARGUMENT,
                "missing PCI address", "give the device as DDDD:BB:DD.F"));
    }

    /**
     * Reads the 82574L's STATUS and the receive address RAL0/RAH0 through the mapped BAR0 (docs/hardware-reference.md B.2:
     * STATUS 0x8, RAL0 0x5400, RAH0 0x5404; RAL holds MAC bytes 0-3 little-endian, RAH[15:0] bytes 4-5).
     */
    private static void regs(PciAddress bdf, PrintStream out, LinuxHost host) {
        try (VfioPciDevice d = VfioPciDevice.open(bdf, host, VfioPciDevice.OpenOptions.defaults())) {
            RegisterSpace bar0 = d.bar(0);
            int status = bar0.read32(0x8);
            int ral = bar0.read32(0x5400);
            int rah = bar0.read32(0x5404);
            out.println(String.format("status=0x%08x ral0=0x%08x rah0=0x%08x", status, ral, rah));
            out.println(String.format("mac=%02x:%02x:%02x:%02x:%02x:%02x", ral & 0xFF, (ral >>> 8) & 0xFF,
                    (ral >>> 16) & 0xFF, ral >>> 24, rah & 0xFF, (rah >>> 8) & 0xFF));
            out.println("bar0_size=" + bar0.size());
        }
    }

    /**
     * Maps DMA memory, writes a pattern, unmaps, and maps again: the second mapping must be accepted at
     * the same IOVA (the first unmap really released it).
     */
    private static void dma(PciAddress bdf, PrintStream out, LinuxHost host) {
        try (VfioPciDevice d = VfioPciDevice.open(bdf, host, VfioPciDevice.OpenOptions.defaults())) {
            long first;
            try (DmaRegion r = d.dma().allocate("hil-dma", 64 * 1024, 4096)) {
                first = r.iova();
                r.segment().fill((byte) 0x5A);
                out.println(String.format("map1 iova=0x%x size=%d hugepages=%b page_size=%d fallback=\"%s\"", r.iova(),
                        r.size(), d.dma().hugePages(), d.dma().pageSize(), d.dma().fallbackReason()));
            }
            out.println("after_unmap live_regions=" + d.dma().liveRegions());
            try (DmaRegion r = d.dma().allocate("hil-dma-again", 64 * 1024, 4096)) {
                boolean zeroed = true;
                for (long i = 0; i < r.size(); i++) {
                    if (r.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != 0) {
                        zeroed = false;
                        break;
                    }
                }
                out.println(String.format("map2 iova=0x%x same_iova=%b zeroed=%b", r.iova(), r.iova() == first, zeroed));
            }
            out.println("closed live_regions=" + d.dma().liveRegions());
        }
    }

    /**
     * Arms every MSI-X vector, routes the 82574L's "other" cause to the last vector through IVAR and
     * raises it with ICS (docs/hardware-reference.md B.3: IVAR 0xE4 OTHER bits 19:16 with VALID 0x8; ICS 0xC8, IMS 0xD0;
     * LSC 0x4, OTHER 0x01000000), then waits for the event with a deadline.
     */
    private static void msix(PciAddress bdf, PrintStream out, LinuxHost host) {
        try (VfioPciDevice d = VfioPciDevice.open(bdf, host, VfioPciDevice.OpenOptions.defaults())) {
            int max = d.interrupts().maxVectors(InterruptMode.MSIX);
            out.println("msix_max=" + max);
            d.setBusMaster(true); // MSI-X messages are memory writes by the device
            try (InterruptSet s = d.interrupts().enable(InterruptMode.MSIX, max)) {
                RegisterSpace bar0 = d.bar(0);
                int last = max - 1;
                bar0.write32(0xE4, ((0x8 | last) << 16));
                bar0.write32(0xD0, 0x01000004);
                bar0.write32(0xC8, 0x01000004);
                long fired = s.await(Duration.ofSeconds(20).toNanos());
                out.println("armed=" + s.count() + " fired=0x" + Long.toHexString(fired) + " expected=0x"
                        + Long.toHexString(1L << last));
                bar0.write32(0xD8, 0xFFFFFFFF);
            } finally {
                d.setBusMaster(false);
            }
        }
    }

    /** Opens the device and keeps it until the file named by --until exists (or 300 s pass). */
    private static void hold(PciAddress bdf, PrintStream out, LinuxHost host, List<String> flags) {
        int i = flags.indexOf("--until");
        java.nio.file.Path until = java.nio.file.Path.of(i >= 0 ? flags.get(i + 1) : "/nonexistent");
        int r = flags.indexOf("--ready");
        try (VfioPciDevice d = VfioPciDevice.open(bdf, host, VfioPciDevice.OpenOptions.defaults())) {
            out.println("holding " + d.description() + " pid=" + ProcessHandle.current().pid());
            out.flush();
            if (r >= 0) {
                try {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(flags.get(r + 1)),
                            Long.toString(ProcessHandle.current().pid()));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            while (!java.nio.file.Files.exists(until) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000_000L);
            }
        }
        out.println("released " + bdf);
    }

    /** Opens the device and touches every facility once: config, BAR0, bus master, DMA, interrupts, close. */
    private static void selftest(PciAddress bdf, PrintStream out, LinuxHost host) {
        try (VfioPciDevice d = VfioPciDevice.open(bdf, host, VfioPciDevice.OpenOptions.defaults())) {
            out.println("opened " + d.description() + " identity=" + d.identity() + " iommu_type=" + d.iommuType());
            out.println("iommu " + d.iommuInfo());
            d.bars().forEach(b -> out.println("bar " + b));
            d.setBusMaster(true);
            out.println("bus_master=" + d.busMaster());
            d.bars().stream().filter(b -> b.mappable()).findFirst().ifPresent(b -> {
                RegisterSpace regs = d.bar(b.index());
                out.println(String.format("bar%d.read32(0)=0x%08x", b.index(), regs.read32(0)));
            });
            try (DmaRegion r = d.dma().allocate("selftest", 4096, 4096)) {
                out.println(String.format("dma iova=0x%x size=%d hugepages=%b page_size=%d fallback=\"%s\"", r.iova(),
                        r.size(), d.dma().hugePages(), d.dma().pageSize(), d.dma().fallbackReason()));
            }
            for (InterruptMode mode : InterruptMode.values()) {
                if (d.interrupts().maxVectors(mode) > 0) {
                    try (InterruptSet s = d.interrupts().enable(mode, 1)) {
                        out.println("interrupts mode=" + mode + " max=" + d.interrupts().maxVectors(mode)
                                + " armed=1 fired=0x" + Long.toHexString(s.poll()));
                    }
                    break;
                }
            }
            d.setBusMaster(false);
        }
        out.println("closed " + bdf);
    }
}
