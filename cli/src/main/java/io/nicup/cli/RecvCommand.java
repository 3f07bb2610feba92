package io.nicup.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "recv",
        header = "Receive frames into a pcap file, and summarize.",
        description = {
            "Brings the adapter up to Running (directed, broadcast and all-multicast; --promiscuous for",
            "everything), writes each frame NDIS indicates to --pcap until --count frames arrived or",
            "--timeout seconds passed, prints frames, bytes, pps, bit rate, errors and drops (OID_GEN_STATISTICS",
            "ifInErrors, ifInDiscards), then pauses, halts and unloads. A simulated NIC receives only what",
            "--inject puts on its wire; its times are virtual and labelled so. When the device goes away (surprise",
            "removal) its errors and drops are unknown and the exit code is 8; when the kernel asks for it back",
            "they are read before it is released. With --count, a run that ends",
            "with fewer frames (the timeout, or a simulated wire with no more) says so and exits 11. --checksums",
            "prints each frame's checksum verdict as the NIC indicated it (good, bad, or not checked when the NIC",
            "gave none) and counts them under the summary. --rss turns receive-side scaling on first (Microsoft's",
            "verification key, every hash type the NIC announces) and prints each frame's hash and hash type, or",
            "no hash, and counts them; a NIC that announces no RSS exits 4. On an adapter with several receive",
            "queues a queues: line gives each queue's frames and bytes, 0 for a queue that got none (JSON queues,",
            "on every adapter)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup recv 0000:01:00.0 --pcap in.pcap --count 100 --timeout 30",
            "  nicup recv mock:82574L --pcap in.pcap --inject frames.pcap",
            "  nicup recv 'mock:virtio-net?offload=on' --pcap in.pcap --inject frames.pcap --checksums",
            "  nicup recv mock:82576 --pcap in.pcap --inject frames.pcap --rss"})
final class RecvCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Option(names = "--pcap", paramLabel = "FILE", required = true, description = "Write the received frames here (- writes the pcap to standard output, the text to standard error).")
    Path pcap;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N frames (1..10000000; default: at the timeout).")
    Integer count;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "10",
            description = "Stop after S seconds (1..86400; default ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--promiscuous", description = "Receive every frame on the wire.")
    boolean promiscuous;

    @Option(names = "--inject", paramLabel = "FILE.pcap",
            description = "Simulated NIC only: inject the pcap's frames into the mock wire once Running.")
    Path inject;

    @Option(names = "--checksums", description = "Print each frame's checksum verdict (good, bad, not checked) and count them.")
    boolean checksums;

    @Option(names = "--rss", description = "Turn RSS on (Microsoft's verification key) and print each frame's hash and hash type.")
    boolean rss;

    @Option(names = "--interval", paramLabel = "S",
            description = "Print frames, pps and bit rate every S seconds (0.001..86400), since the last line and in total.")
    Double interval;

    @Override
    public Integer call() {
        double every = IntervalStats.check(interval);
        int max = count == null ? Traffic.MAX_COUNT : Traffic.bounded("--count", count, 1, Traffic.MAX_COUNT);
        Traffic.bounded("--timeout", timeout, 1, Traffic.MAX_TIMEOUT_SECONDS);
        List<byte[]> injected = null;
        if (inject != null) {
            Traffic.requireMock(dev.device, "--inject");
            injected = Traffic.readInjectable(inject);
        }
        if (Traffic.isStdio(pcap)) {
            dev.output.takeStdout();
        } else {
            OutputFile.check("--pcap", pcap);
        }
        RecvRun.Ask ask = new RecvRun.Ask(pcap, max, count != null, timeout, promiscuous, injected, every,
                checksums, rss);
        try (StopSignal stop = StopSignal.install()) {
            Session s = dev.open();
            RecvRun.Report report = s.run(x -> new RecvRun(x, dev.output, stop).receive(ask));
            dev.output.print(report);
            return s.finish(report.failure(), report.interrupted());
        }
    }
}
