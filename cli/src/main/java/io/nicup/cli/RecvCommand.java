package io.nicup.cli;

import io.nicup.ndis.oid.NdisPacketFilter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "recv",
        header = "Receive frames into a pcap file, and summarize.",
        description = {
            "Brings the adapter up to Running (directed, broadcast and all-multicast; --promiscuous for",
            "everything), writes each frame NDIS indicates to --pcap until --count frames arrived or",
            "--timeout seconds passed, prints frames, bytes, pps, errors and drops (OID_GEN_STATISTICS",
            "ifInErrors, ifInDiscards), then pauses, halts and unloads. A simulated NIC receives only what",
            "--inject puts on its wire; its times are virtual."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup recv 0000:01:00.0 --pcap in.pcap --count 100 --timeout 30",
            "  nicup recv mock:82574L --pcap in.pcap --inject frames.pcap"})
final class RecvCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Mixin
    BindOption bindOption;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @Option(names = "--pcap", paramLabel = "FILE", required = true, description = "Write the received frames here.")
    Path pcap;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N frames (1..10000000; default: at the timeout).")
    Integer count;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "10",
            description = "Stop after S seconds (1..86400; default ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--promiscuous", description = "Receive every frame on the wire.")
    boolean promiscuous;

    @Option(names = "--params", paramLabel = "FILE", description = "Parameter file for the driver.")
    Path params;

    @Option(names = "--inject", paramLabel = "FILE.pcap",
            description = "Simulated NIC only: inject the pcap's frames into the mock wire once Running.")
    Path inject;

    @Override
    public Integer call() {
        int max = count == null ? Traffic.MAX_COUNT : Traffic.bounded("--count", count, 1, Traffic.MAX_COUNT);
        Traffic.bounded("--timeout", timeout, 1, Traffic.MAX_TIMEOUT_SECONDS);
        List<byte[]> injected = null;
        if (inject != null) {
            Traffic.requireMock(device, "--inject");
            injected = Traffic.readPcap(inject, Traffic.MAX_COUNT);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        boolean timedOut;
        boolean interrupted;
        CliException failure;
        try (StopSignal stop = StopSignal.install(); Session s = Session.open(output.environment(), device, params,
                bindOption.take(output, device));
                Pcap.Writer w = new Pcap.Writer(pcap)) {
            s.stopWhen(stop::requested);
            s.running(promiscuous ? NdisPacketFilter.PROMISCUOUS
                    : NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST | NdisPacketFilter.ALL_MULTICAST);
            s.edge.clearReceived();
            var before = s.statistics();
            long start = s.nanoTime();
            long deadline = start + timeout * 1_000_000_000L;
            long[] written = {0, 0};
            Traffic.Progress progress = new Traffic.Progress(output, "received", () -> written[0], count == null ? 0 : max);
            Traffic.announce(output, "receiving on " + device + " into " + pcap);
            if (injected != null) {
                for (int i = 0; i < injected.size(); i += 32) {
                    Traffic.inject(s, injected.subList(i, Math.min(injected.size(), i + 32)));
                    drain(s, w, written, max, start);
                }
            }
            while (written[0] < max && s.nanoTime() - deadline < 0 && !stop.requested() && !s.deviceGoneLately()) {
                s.pump(java.time.Duration.ofMillis(s.isMock() ? 10 : 1));
                drain(s, w, written, max, start);
                progress.run();
                if (injected != null && s.isMock() && s.mock.wire().injectedFrames() > 0 && written[0] >= injected.size()) {
                    break;   // everything injected has arrived: no need to wait out the timeout in virtual time
                }
            }
            interrupted = stop.requested();
            timedOut = written[0] < max && count != null && !interrupted;
            long elapsed = s.nanoTime() - start;
            progress.finish();
            var after = s.statistics();
            doc.put("summary", Traffic.summary(written[0], written[1], elapsed, after.ifInErrors() - before.ifInErrors(),
                    after.ifInDiscards() - before.ifInDiscards()));
            doc.put("pcap", pcap.toString());
            doc.put("timed_out", timedOut);
            doc.put("interrupted", interrupted);
            failure = Traffic.incidents(s, output);
            if (interrupted) {
                doc.put("teardown", Traffic.teardownAfterSignal(s));
            }
        }
        PrintWriter out = output.out();
        if (output.json()) {
            out.println(Json.write(doc));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) doc.get("summary");
            out.println(Traffic.summaryLine("received", summary) + ", written to " + pcap
                    + (timedOut ? " (timed out after " + timeout + " s)" : "") + (interrupted ? " (interrupted)" : ""));
        }
        if (doc.containsKey("teardown") && !output.json()) {
            out.println(doc.get("teardown"));
        }
        out.flush();
        if (failure != null) {
            throw failure;
        }
        if (interrupted) {
            throw StopSignal.interrupted();
        }
        return ExitCode.OK.code();
    }

    private static void drain(Session s, Pcap.Writer w, long[] written, int max, long start) {
        List<byte[]> got;
        synchronized (s.edge) {   // FrameEdge's methods lock it: nothing arrives between the two calls
            got = s.edge.received();
            s.edge.clearReceived();
        }
        for (byte[] f : got) {
            if (written[0] >= max) {
                return;
            }
            w.write((s.nanoTime() - start) / 1000, f, 0, f.length);
            written[0]++;
            written[1] += f.length;
        }
    }
}
