package io.nicup.cli;

import io.nicup.ndis.oid.NdisStatisticsInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stats",
        header = "Show OID_GEN_STATISTICS and the chip's counters.",
        description = {
            "Brings the adapter up to Running, optionally lets traffic in (--inject, simulated NIC only),",
            "pauses it, queries OID_GEN_STATISTICS (NDIS_STATISTICS_INFO) and reads the chip's",
            "clear-on-read counters (GPRC, GPTC, GORC, GOTC, MPC, ...) and the driver's counters, then halts",
            "and unloads. Counters start at zero with each bring-up."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup stats 0000:01:00.0", "  nicup --json stats mock:82574L --inject frames.pcap"})
final class StatsCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Mixin
    BindOption bindOption;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @Option(names = "--params", paramLabel = "FILE", description = "Parameter file for the driver.")
    Path params;

    @Option(names = "--inject", paramLabel = "FILE.pcap",
            description = "Simulated NIC only: inject the pcap's frames into the mock wire while Running.")
    Path inject;

    @Override
    public Integer call() {
        List<byte[]> frames = null;
        if (inject != null) {
            Traffic.requireMock(device, "--inject");
            frames = Traffic.readPcap(inject, Traffic.MAX_COUNT);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        String chipTitle = "chip counters";
        try (Session s = Session.open(output.environment(), device, params, bindOption.take(output, device))) {
            s.running(Session.DEFAULT_FILTER);
            if (frames != null) {
                Traffic.inject(s, frames);
            }
            s.host.pause(s.adapter);
            NdisStatisticsInfo st = s.statistics();
            var diag = s.diagnostics();
            doc.put("statistics", statistics(st));
            doc.put("chip", new TreeMap<>(diag.counters()));
            chipTitle = diag.countersTitle();
            doc.put("driver", new TreeMap<>(diag.driverCounters()));
        }
        PrintWriter out = output.out();
        if (output.json()) {
            out.println(Json.write(doc));
        } else {
            for (String section : List.of("statistics", "chip", "driver")) {
                out.println(switch (section) {
                    case "statistics" -> "OID_GEN_STATISTICS:";
                    case "chip" -> chipTitle + ":";
                    default -> "driver counters:";
                });
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) doc.get(section);
                Table t = new Table("  COUNTER", "VALUE");
                m.forEach((k, v) -> t.row("  " + k, v));
                t.print(out);
            }
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static Map<String, Object> statistics(NdisStatisticsInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ifHCInUcastPkts", s.ifHCInUcastPkts());
        m.put("ifHCInMulticastPkts", s.ifHCInMulticastPkts());
        m.put("ifHCInBroadcastPkts", s.ifHCInBroadcastPkts());
        m.put("ifHCInOctets", s.ifHCInOctets());
        m.put("ifInDiscards", s.ifInDiscards());
        m.put("ifInErrors", s.ifInErrors());
        m.put("ifHCOutUcastPkts", s.ifHCOutUcastPkts());
        m.put("ifHCOutMulticastPkts", s.ifHCOutMulticastPkts());
        m.put("ifHCOutBroadcastPkts", s.ifHCOutBroadcastPkts());
        m.put("ifHCOutOctets", s.ifHCOutOctets());
        m.put("ifOutErrors", s.ifOutErrors());
        m.put("ifOutDiscards", s.ifOutDiscards());
        return m;
    }
}
