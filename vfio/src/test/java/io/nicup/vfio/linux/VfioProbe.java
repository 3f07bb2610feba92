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
