package io.nicup.cli;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.DeviceBinder;
import io.nicup.vfio.linux.LinuxHost;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bind",
        header = "Hand PCI network functions to vfio-pci, remembering their driver.",
        description = {
            "Sets driver_override to vfio-pci, unbinds the current driver and re-probes, then checks that",
            "/dev/vfio/N appeared and the IOMMU group is viable. The original driver is recorded in the state",
            "directory ($NICUP_STATE_DIR, default /run/nicup) so that `nicup unbind --restore` gives it back.",
            "Refuses a device whose network interface is up with addresses or routes unless --force.",
            "Loads the vfio-pci module when it is missing and nicup runs as root."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup bind 0000:01:00.0", "  nicup bind --force 0000:01:00.0 0000:01:00.1"})
final class BindCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Parameters(arity = "1..*", paramLabel = "BDF", description = "PCI address, e.g. 0000:01:00.0.")
    List<String> addresses;

    @Option(names = "--force", description = "Take the device even though its interface is in use.")
    boolean force;

    @Option(names = "--any-class", description = "Allow a function that is not a network controller.")
    boolean anyClass;

    @Override
    public Integer call() {
        List<PciAddress> parsed = addresses.stream().map(PciAddress::parse).toList();
        LinuxHost host = output.environment().host().get();
        DeviceBinder binder = new DeviceBinder(host);
        List<Map<String, Object>> results = new ArrayList<>();
        DeviceBinder.BindOptions options = DeviceBinder.BindOptions.defaults().withForce(force)
                .withAllowNonNetwork(anyClass).withCompanions(java.util.Set.copyOf(parsed));
        List<PciAddress> boundHere = new ArrayList<>();
        for (PciAddress a : parsed) {
            DeviceBinder.BindResult r;
            try {
                r = binder.bind(a, options);
            } catch (RuntimeException e) {
                rollBack(binder, boundHere, e);
                throw e;
            }
            if (!r.alreadyBound()) {
                boundHere.add(a);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bdf", a.toString());
            m.put("previous_driver", r.previousDriver().orElse(null));
            m.put("already_bound", r.alreadyBound());
            m.put("iommu_group", r.iommuGroup());
            m.put("group_device", r.groupDevice().toString());
            results.add(m);
            if (!output.json() && !output.quiet()) {
                output.out().println(r.alreadyBound() ? a + ": already on vfio-pci (" + r.groupDevice() + ")"
                        : a + ": bound to vfio-pci (was " + r.previousDriver().orElse("unbound") + "), "
                                + r.groupDevice());
            }
        }
        StateTable.print(output, host, parsed, results);
        return ExitCode.OK.code();
    }

    /** A bind that fails half-way through a list gives the devices bound so far back: all or nothing. */
    private static void rollBack(DeviceBinder binder, List<PciAddress> boundHere, RuntimeException cause) {
        for (int i = boundHere.size() - 1; i >= 0; i--) {
            try {
                binder.unbind(boundHere.get(i), true, java.time.Duration.ofSeconds(10));
            } catch (RuntimeException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
