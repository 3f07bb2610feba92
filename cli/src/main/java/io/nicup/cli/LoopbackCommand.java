package io.nicup.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "loopback",
        header = "Send frames through PHY loopback and check each comes back byte for byte.",
        description = {
            "Brings the adapter up to Running, puts the PHY in loopback (BMCR 0x4140, MAC forced to",
            "1000 Mb/s full duplex), sends --count frames of --size bytes addressed to the adapter itself",
            "through the NDIS data path, and compares every received frame with what was sent, in order.",
            "Leaves loopback, pauses, halts and unloads. Nothing reaches the cable. Exit 9 when a frame is",
            "missing, extra or differs (the first difference is named). A NIC that cannot loop frames back",
            "inside itself (virtio-net) exits 4 (not supported) and changes nothing."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup loopback 0000:01:00.0 --count 1000", "  nicup loopback mock:82574L --count 64 --size 1514"})
final class LoopbackCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Option(names = "--count", paramLabel = "N", defaultValue = "64", description = "Frames (1..1000000; default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1024",
            description = "Frame size without FCS (60..MTU+14; default ${DEFAULT-VALUE}).")
    int size;

    @Override
    public Integer call() {
        Traffic.bounded("--count", count, 1, 1_000_000);
        Traffic.bounded("--size", size, 60, Pcap.MAX_FRAME);   // the chip pads shorter frames to 60 bytes
        try (StopSignal stop = StopSignal.install()) {
            Session s = dev.open();
            LoopbackRun.Report report = s.run(x -> new LoopbackRun(x, dev.output, stop).loop(count, size));
            dev.output.print(report);
            return s.finish(report.failure(), report.interruptedCleanly());
        }
    }

    /** The verdict on {@code received} as the answer to {@code sent} (see {@link LoopbackVerdict}). */
    static String compare(List<byte[]> sent, List<byte[]> received) {
        LoopbackVerdict v = new LoopbackVerdict(sent);
        received.forEach(v::accept);
        return v.mismatch(sent.size());
    }
}
