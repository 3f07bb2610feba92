package io.nicup.cli;

import io.nicup.vfio.PciAddress;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "info",
        header = "Decode a device's configuration space and show what VFIO offers.",
        description = {
            "Works on any PCI function, on any driver or none, read from sysfs like `lspci -vv` (changes nothing;",
            "as root for the capabilities): IDs, class, command/status, BAR addresses and sizes, the capability",
            "chain (PM, MSI, MSI-X table size, PCI Express device status, link speed/width, ASPM, target speed,",
            "payload sizes) and the extended capabilities (AER status, mask and severity, serial number). On a",
            "function on vfio-pci it adds what VFIO offers: mappable BARs, interrupt vectors, the regions and the",
            "IOMMU (page sizes, IOVA ranges, DMA mappings available), or a warning saying why not (another run",
            "holds it). A config space that reads all-ones is an error (exit 8); a capability chain that loops or",
            "points astray is cut with a warning."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup info 0000:01:00.0", "  nicup info mock:82574L --json"})
final class InfoCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address (any driver), or mock:MODEL.")
    String device;

    @Override
    public Integer call() {
        Map<String, Object> doc = DeviceOpener.isMock(device) ? InfoReport.simulated(output.environment(), device)
                : InfoReport.function(output.environment().host().get(), PciAddress.parse(device));
        if (output.json()) {
            output.out().println(Json.write(doc));
            return ExitCode.OK.code();
        }
        print(output.out(), doc);
        for (Object w : (List<?>) doc.get("warnings")) {
            output.err().println("nicup: warning: " + w);
        }
        return ExitCode.OK.code();
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> doc) {
        out.printf("%s  %s:%s  class %s  rev %s  subsystem %s%s%n", doc.get("device"), doc.get("vendor_id"),
                doc.get("device_id"), doc.get("class"), doc.get("revision"), doc.get("subsystem"),
                doc.containsKey("driver") ? "  driver " + doc.get("driver") : "");
        out.println("  command: " + flags((Map<String, Object>) doc.get("command")));
        out.println("  status:  " + flags((Map<String, Object>) doc.get("status")));
        out.println("  BARs:");
        for (Map<String, Object> b : (List<Map<String, Object>>) doc.get("bars")) {
            out.printf("    BAR%s %-5s %s%s%s%s%n", b.get("index"), b.get("type"), size((Long) b.get("size")),
                    b.containsKey("address") ? " at " + b.get("address") : "",
                    Boolean.TRUE.equals(b.get("prefetchable")) ? " prefetchable" : "",
                    Boolean.TRUE.equals(b.get("mappable")) ? " mappable" : "");
        }
        out.println("  capabilities:");
        for (Map<String, Object> c : (List<Map<String, Object>>) doc.get("capabilities")) {
            out.println("    [" + c.get("offset") + "] " + details(c));
        }
        out.println("  extended capabilities:");
        for (Map<String, Object> c : (List<Map<String, Object>>) doc.get("extended_capabilities")) {
            out.println("    [" + c.get("offset") + "] " + details(c));
        }
        if (doc.containsKey("interrupt_vectors")) {
            out.println("  interrupt vectors: " + doc.get("interrupt_vectors"));
        }
        if (doc.get("vfio") instanceof Map<?, ?> vfio) {
            out.println("  vfio:");
            vfio.forEach((k, v) -> out.println("    " + k + ": " + v));
        }
    }

    private static String flags(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder(String.valueOf(m.get("value")));
        m.forEach((k, v) -> {
            if (Boolean.TRUE.equals(v)) {
                sb.append(' ').append(k);
            }
        });
        return sb.toString();
    }

    private static String details(Map<String, Object> c) {
        StringBuilder sb = new StringBuilder(String.valueOf(c.get("name")));
        c.forEach((k, v) -> {
            if (!k.equals("name") && !k.equals("offset") && !k.equals("id")) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    private static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
