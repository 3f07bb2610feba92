package io.nicup.cli;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.LinuxHost;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The state of the devices a bind or unbind touched, as `nicup list` shows it. */
final class StateTable {

    private StateTable() {
    }

    static void print(Output output, LinuxHost host, List<PciAddress> devices, List<Map<String, Object>> actions) {
        PciIds ids = output.environment().pciIds();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("actions", actions);
            doc.put("devices", devices.stream().map(a -> host.sysfs().function(a)
                    .map(f -> ListCommand.describe(host, ids, f)).orElse(Map.of("bdf", a.toString()))).toList());
            output.out().println(Json.write(doc));
            return;
        }
        if (output.quiet()) {
            return;
        }
        Table t = new Table("BDF", "DRIVER", "GROUP", "VIABLE", "VFIO");
        for (PciAddress a : devices) {
            host.sysfs().function(a).ifPresent(f -> {
                Map<String, Object> r = ListCommand.describe(host, ids, f);
                Object viable = r.get("group_viable");
                t.row(r.get("bdf"), r.get("driver"), r.get("iommu_group") == null ? "-" : r.get("iommu_group"),
                        viable == null ? "-" : Boolean.TRUE.equals(viable) ? "yes" : "no", r.get("vfio"));
            });
        }
        output.out().println();
        t.print(output.out());
    }
}
