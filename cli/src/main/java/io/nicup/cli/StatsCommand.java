package io.nicup.cli;

import io.nicup.ndis.oid.NdisStatisticsInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "stats",
        header = "Show OID_GEN_STATISTICS and the chip's counters.",
        description = {
            "Brings the adapter up to Running, optionally lets traffic in (--inject, simulated NIC only),",
            "pauses it, queries OID_GEN_STATISTICS (NDIS_STATISTICS_INFO) and reads the chip's",
            "clear-on-read counters (GPRC, GPTC, GORC, GOTC, MPC, ...) and the driver's counters, then halts",
            "and unloads. Counters start at zero with each bring-up. After a surprise removal the counters",
            "that come from the device are printed as unknown (JSON null) and the exit code is 8."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup stats 0000:01:00.0", "  nicup --json stats mock:82574L --inject frames.pcap"})
final class StatsCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Option(names = "--inject", paramLabel = "FILE.pcap",
            description = "Simulated NIC only: inject the pcap's frames into the mock wire while Running.")
    Path inject;

    /**
     * What {@code stats} read: OID_GEN_STATISTICS, the chip's counters under their heading, the driver's.
     * A null value is unknown: after a surprise removal every counter that comes from the device, since it
     * answers reads with all-ones (a device the kernel asked back, also {@code removed}, still answers: its
     * counters are true); and any counter that would be negative.
     */
    record Report(String device, boolean removed, Map<String, Long> statistics, String chipTitle,
            Map<String, Long> chip, Map<String, Long> driver) implements io.nicup.cli.Report {

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("statistics", statistics);
            doc.put("chip", chip);
            doc.put("driver", driver);
            if (removed) {
                doc.put("device_removed", true);
            }
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new ArrayList<>();
            section(lines, "OID_GEN_STATISTICS:", statistics);
            section(lines, chipTitle + ":", chip);
            section(lines, "driver counters:", driver);
            return lines;
        }

        private static void section(List<String> lines, String title, Map<String, Long> counters) {
            lines.add(title);
            Table t = new Table("  COUNTER", "VALUE");
            counters.forEach((k, v) -> t.row("  " + k, v == null ? "unknown" : v));
            lines.addAll(t.lines());
        }
    }

    @Override
    public Integer call() {
        List<byte[]> frames = null;
        if (inject != null) {
            Traffic.requireMock(dev.device, "--inject");
            frames = Traffic.readInjectable(inject);
        }
        List<byte[]> injected = frames;
        Session s = dev.open();
        Report report = s.run(x -> read(x, injected));
        dev.output.print(report);
        return s.finish(null, false);
    }

    private static Report read(Session s, List<byte[]> inject) {
        s.running(Session.DEFAULT_FILTER);
        if (inject != null) {
            Traffic.inject(s, inject);
        }
        s.host.pause(s.adapter);
        // A device the kernel asked back is still there until nicup releases it: its counters are true.
        boolean removed = s.deviceGone();
        boolean vanished = removed && s.vanished();
        var diag = s.diagnostics();
        return new Report(s.spec, removed, known(statistics(s.statistics()), vanished), diag.countersTitle(),
                known(new TreeMap<>(diag.counters()), vanished), known(new TreeMap<>(diag.driverCounters()), false));
    }

    /** The counters with every value unknown (null) that {@code vanished} or a negative reading makes so. */
    private static Map<String, Long> known(Map<String, Long> counters, boolean vanished) {
        counters.replaceAll((k, v) -> vanished || v == null || v < 0 ? null : v);
        return counters;
    }

    private static Map<String, Long> statistics(NdisStatisticsInfo s) {
        Map<String, Long> m = new LinkedHashMap<>();
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
