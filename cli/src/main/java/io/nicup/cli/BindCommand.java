package io.nicup.cli;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.DeviceBinder;
import io.nicup.vfio.linux.GroupOwnership;
import io.nicup.vfio.linux.MemlockLimit;
import io.nicup.vfio.linux.Preflight;
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
            "Refuses a device whose network interface is up with addresses or routes unless --force; every",
            "interface below the function counts, also one on a bus in between (virtio-net's virtioN/net/IF).",
            "Loads the vfio-pci module when it is missing and nicup runs as root.",
            "With --user NAME the group node /dev/vfio/N is handed to that user (owner and group), who can then",
            "run nicup without root given enough locked memory (ulimit -l); the locked-memory need is checked",
            "and reported. `nicup unbind --restore` gives the node back to its previous owner."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup bind 0000:01:00.0", "  nicup bind --force 0000:01:00.0 0000:01:00.1",
            "  nicup bind --user alice 0000:01:00.0"})
final class BindCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(arity = "1..*", paramLabel = "BDF", description = "PCI address, e.g. 0000:01:00.0.")
    List<String> addresses;

    @Option(names = "--force", description = "Take the device even though its interface is in use.")
    boolean force;

    @Option(names = "--any-class", description = "Allow a function that is not a network controller.")
    boolean anyClass;

    @Option(names = "--user", paramLabel = "NAME", description = "Hand the IOMMU group node to this user (name or uid).")
    String user;

    @Override
    public Integer call() {
        List<PciAddress> parsed = addresses.stream().map(PciAddress::parse).toList();
        LinuxHost host = output.environment().host().get();
        GroupOwnership ownership = new GroupOwnership(host);
        GroupOwnership.User owner = user == null ? null : ownership.lookup(user);   // before anything changes
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
            if (owner != null) {
                try {
                    ownership.handOver(r.iommuGroup(), owner);
                } catch (RuntimeException e) {
                    rollBack(binder, boundHere, e);
                    throw e;
                }
                m.put("user", owner.name());
            }
            results.add(m);
            if (!output.json() && !output.quiet()) {
                output.out().println(r.alreadyBound() ? a + ": already on vfio-pci (" + r.groupDevice() + ")"
                        : a + ": bound to vfio-pci (was " + r.previousDriver().orElse("unbound") + "), "
                                + r.groupDevice());
                if (owner != null) {
                    output.out().println(a + ": " + r.groupDevice() + " handed to " + owner.name() + " (uid " + owner.uid()
                            + ", gid " + owner.gid() + ")");
                }
            }
        }
        if (owner != null) {
            reportMemlock(host, owner);
        }
        StateTable.print(output, host, parsed, results);
        return ExitCode.OK.code();
    }

    /**
     * Locked memory: every DMA byte is pinned and charged to RLIMIT_MEMLOCK of the process that maps it.
     * The user's limit is set when they log in (pam_limits), so nicup can only show this session's limit
     * and say what a bring-up needs and how to grant it.
     */
    private void reportMemlock(LinuxHost host, GroupOwnership.User owner) {
        long need = Preflight.DEFAULT_REQUIRED_LOCKED_BYTES;
        String limit;
        boolean enough;
        try {
            MemlockLimit l = host.kernel().memlockLimit();
            limit = l.describe();
            enough = l.allows(0, need);
        } catch (RuntimeException e) {
            limit = "unknown";
            enough = false;
        }
        if (!output.json() && !output.quiet()) {
            output.out().println("locked memory: a bring-up needs " + need / 1024 + " KiB; this session's limit is " + limit
                    + (enough ? "" : " (too low)") + "; " + owner.name() + " needs `ulimit -l` >= " + need / 1024
                    + ": add '" + owner.name() + " - memlock " + need / 1024 + "' to /etc/security/limits.conf"
                    + " (LimitMEMLOCK= for a systemd unit) and log in again");
        }
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
