package io.nicup.cli;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.PciConfigDecoder;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.linux.VfioPciDevice;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
            "IDs, class, command/status, BARs with sizes and types, the capability chain (PM, MSI, MSI-X",
            "table size, PCI Express link speed/width and payload sizes) and the extended capabilities; for a",
            "device opened through VFIO also the regions, interrupt indexes and the IOMMU (page sizes, IOVA",
            "ranges, DMA mappings available). Opens the device (it must be on vfio-pci) and changes nothing."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup info 0000:01:00.0", "  nicup info mock:82574L --json"})
final class InfoCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @Override
    public Integer call() {
        Map<String, Object> doc = new LinkedHashMap<>();
        try (PciDevice d = DeviceOpener.open(output.environment(), device)) {
            doc.put("device", d.description());
            doc.putAll(PciConfigDecoder.decode(d.config()));
            List<Map<String, Object>> bars = new ArrayList<>();
            for (BarInfo b : d.bars()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("index", b.index());
                m.put("size", b.size());
                m.put("type", b.memory() ? (b.is64Bit() ? "mem64" : "mem32") : "io");
                m.put("prefetchable", b.prefetchable());
                m.put("mappable", b.mappable());
                bars.add(m);
            }
            doc.put("bars", bars);
            Map<String, Object> irq = new LinkedHashMap<>();
            for (InterruptMode mode : InterruptMode.values()) {
                irq.put(mode.name().toLowerCase(java.util.Locale.ROOT), d.interrupts().maxVectors(mode));
            }
            doc.put("interrupt_vectors", irq);
            if (d instanceof VfioPciDevice v) {
                doc.put("vfio", v.summary());
            }
        }
        if (output.json()) {
            output.out().println(Json.write(doc));
        } else {
            print(output.out(), doc);
        }
        return ExitCode.OK.code();
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintWriter out, Map<String, Object> doc) {
        out.printf("%s  %s:%s  class %s  rev %s  subsystem %s%n", doc.get("device"), doc.get("vendor_id"),
                doc.get("device_id"), doc.get("class"), doc.get("revision"), doc.get("subsystem"));
        out.println("  command: " + flags((Map<String, Object>) doc.get("command")));
        out.println("  status:  " + flags((Map<String, Object>) doc.get("status")));
        out.println("  BARs:");
        for (Map<String, Object> b : (List<Map<String, Object>>) doc.get("bars")) {
            out.printf("    BAR%s %-5s %s%s%s%n", b.get("index"), b.get("type"), size((Long) b.get("size")),
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
        out.println("  interrupt vectors: " + doc.get("interrupt_vectors"));
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
