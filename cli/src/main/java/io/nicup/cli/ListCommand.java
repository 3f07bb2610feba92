package io.nicup.cli;

import io.nicup.vfio.linux.DeviceBinder;
import io.nicup.vfio.linux.GroupMember;
import io.nicup.vfio.linux.LinuxHost;
import io.nicup.vfio.linux.PciFunction;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "list",
        header = "List the PCI network functions and whether they are ready for nicup.",
        description = {
            "Columns: PCI address, vendor:device IDs and name (from pci.ids), the driver bound now, the IOMMU",
            "group and whether it is viable for VFIO (every other device in it on vfio-pci or no driver),",
            "VFIO readiness (bound to vfio-pci, /dev/vfio/N present, group viable) and the nicup model.",
            "--json adds the class, the NUMA node and the kernel network interfaces: every interface below the",
            "function, also one on a bus in between (virtio-net's virtioN/net/IF)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup list", "  nicup list --all --json"})
final class ListCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--all", description = "List every PCI function, not only network controllers.")
    boolean all;

    @Override
    public Integer call() {
        LinuxHost host = output.environment().host().get();
        PciIds ids = output.environment().pciIds();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (PciFunction f : host.sysfs().functions()) {
            if (!all && !f.identity().isNetworkController()) {
                continue;
            }
            rows.add(describe(host, ids, f));
        }
        if (output.json()) {
            output.out().println(Json.write(rows));
            return ExitCode.OK.code();
        }
        if (rows.isEmpty()) {
            output.out().println(all ? "no PCI functions found in " + host.sysfs().devicesDir()
                    : "no PCI network controllers found (nicup list --all shows every function)");
            return ExitCode.OK.code();
        }
        Table t = new Table("BDF", "IDS", "NAME", "DRIVER", "GROUP", "VIABLE", "VFIO", "NICUP");
        for (Map<String, Object> r : rows) {
            t.row(r.get("bdf"), r.get("ids"), r.get("name"), r.get("driver"),
                    r.get("iommu_group") == null ? "-" : r.get("iommu_group"), yesNo(r.get("group_viable")),
                    r.get("vfio"), r.get("supported") == null ? "-" : r.get("supported"));
        }
        t.print(output.out());
        return ExitCode.OK.code();
    }

    static Map<String, Object> describe(LinuxHost host, PciIds ids, PciFunction f) {
        Map<String, Object> r = new LinkedHashMap<>();
        int vendor = f.identity().vendorId();
        int device = f.identity().deviceId();
        r.put("bdf", f.address().toString());
        r.put("ids", String.format("%04x:%04x", vendor, device));
        r.put("name", ids.name(vendor, device));
        r.put("class", String.format("%06x", f.identity().classCode()));
        r.put("driver", f.driver().orElse("none"));
        r.put("iommu_group", f.iommuGroup().isPresent() ? f.iommuGroup().getAsInt() : null);
        Boolean viable = null;
        List<String> culprits = List.of();
        if (f.iommuGroup().isPresent()) {
            culprits = host.sysfs().groupMembers(f.iommuGroup().getAsInt()).stream()
                    .filter(m -> !m.device().equals(f.address().toString()))
                    .filter(m -> !m.compatibleWithVfio()).map(GroupMember::toString).toList();
            viable = culprits.isEmpty();
        }
        r.put("group_viable", viable);
        r.put("group_blockers", culprits);
        r.put("vfio", vfioState(host, f, viable));
        r.put("interfaces", f.netInterfaces());
        r.put("numa_node", f.numaNode());
        r.put("supported", SupportedHardware.model(vendor, device).orElse(null));
        return r;
    }

    private static String vfioState(LinuxHost host, PciFunction f, Boolean viable) {
        if (f.iommuGroup().isEmpty()) {
            return "no-iommu";
        }
        if (!f.boundTo(DeviceBinder.VFIO_PCI)) {
            return "not-bound";
        }
        if (!Files.exists(host.groupPath(f.iommuGroup().getAsInt()))) {
            return "no-dev-node";
        }
        if (!Boolean.TRUE.equals(viable)) {
            return "not-viable";
        }
        java.util.OptionalLong holder = io.nicup.vfio.linux.DeviceLock.liveHolder(host.stateDir(), f.address());
        return holder.isPresent() ? "in-use(pid " + holder.getAsLong() + ")" : "ready";
    }

    private static String yesNo(Object b) {
        return b == null ? "-" : Boolean.TRUE.equals(b) ? "yes" : "no";
    }
}
