package io.nicup.cli;

import io.nicup.ndis.MacAddress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "send",
        header = "Send frames from a pcap file or generated ones, and summarize.",
        description = {
            "Brings the adapter up to Running with the link up, sends the frames through",
            "MiniportSendNetBufferLists, waits for every completion, prints frames, bytes, pps, errors",
            "(failed completions) and drops, then pauses, halts and unloads. When the device goes away mid-run",
            "(surprise removal) it also says how many frames were on its ring unconfirmed and how many never",
            "reached it, and exits 8. Generated frames go from the adapter's MAC to --dst with ethertype 0x88B5",
            "and a payload carrying the sequence number. Frame sizes must be 14..MTU+14 bytes (no FCS). On a",
            "simulated NIC the frames appear on the mock wire; --capture writes them to a pcap file. Times on a",
            "simulated NIC are virtual."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup send 0000:01:00.0 --count 1000 --size 64 --dst 02:00:00:00:00:02 --rate 10000",
            "  nicup send 0000:01:00.0 --pcap frames.pcap",
            "  nicup send mock:82574L --count 10 --size 64 --dst ff:ff:ff:ff:ff:ff --capture out.pcap"})
final class SendCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Mixin
    BindOption bindOption;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--pcap", paramLabel = "FILE", required = true, description = "Send the frames of this pcap file.")
        Path pcap;

        @ArgGroup(exclusive = false)
        Generated generated;
    }

    static final class Generated {
        @Option(names = "--count", paramLabel = "N", required = true, description = "Frames to generate (1..10000000).")
        int count;

        @Option(names = "--size", paramLabel = "BYTES", required = true, description = "Frame size without FCS (14..MTU+14).")
        int size;

        @Option(names = "--dst", paramLabel = "MAC", required = true, description = "Destination MAC, e.g. 02:00:00:00:00:02.")
        String dst;
    }

    @Option(names = "--rate", paramLabel = "PPS", description = "Frames per second (1..10000000; default: as fast as possible).")
    Integer rate;

    @Option(names = "--params", paramLabel = "FILE", description = "Parameter file for the driver.")
    Path params;

    @Option(names = "--capture", paramLabel = "FILE.pcap",
            description = "Simulated NIC only: write the frames the mock wire captured to a pcap file (the last 1000000 at most).")
    Path capture;

    /** Frames --capture keeps in memory for the file (64 MB of minimum-size frames). */
    static final int MAX_CAPTURE = 1_000_000;

    @Override
    public Integer call() {
        List<byte[]> pcapFrames = null;
        MacAddress dst = null;
        Generated g = source.generated;
        if (rate != null) {
            Traffic.bounded("--rate", rate, 1, Traffic.MAX_RATE);
        }
        if (g != null) {
            Traffic.bounded("--count", g.count, 1, Traffic.MAX_COUNT);
            Traffic.checkFrameSize("--size", g.size, Pcap.MAX_FRAME - Traffic.ETHERNET_HEADER);
            dst = Traffic.parseMac("--dst", g.dst);
        } else {
            pcapFrames = Traffic.readPcap(source.pcap, Traffic.MAX_COUNT);
        }
        if (capture != null) {
            Traffic.requireMock(device, "--capture");
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        CliException failure;
        boolean interrupted;
        try (StopSignal stop = StopSignal.install(); Session s = Session.open(output.environment(), device, params,
                bindOption.take(output, device))) {
            s.stopWhen(stop::requested);
            s.running(Session.DEFAULT_FILTER);
            List<byte[]> frames = pcapFrames != null ? pcapFrames
                    : Traffic.frames(dst, s.currentMac(), g.count, g.size);
            if (g != null) {
                Traffic.checkFrameSize("--size", g.size, s.mtu());
            } else {
                for (int i = 0; i < frames.size(); i++) {
                    Traffic.checkFrameSize("frame " + i + " of " + source.pcap, frames.get(i).length, s.mtu());
                }
            }
            long wireBefore = 0;
            if (s.isMock()) {
                if (capture != null) {   // memory for the file's frames only when a file was asked for
                    s.mock.wire().setCaptureLimit(Math.min(frames.size(), MAX_CAPTURE));
                }
                s.mock.wire().clearCaptured();
                wireBefore = s.mock.wire().transmittedFrames();
            }
            doc.put("count", frames.size());
            long okBefore = s.edge.completedOk();
            long failedBefore = s.edge.completedFailed();
            long failureBefore = s.edge.completedFailure();
            long abortedBefore = s.edge.completedAborted();
            Traffic.Progress progress = new Traffic.Progress(output, "sent",
                    () -> s.edge.completedOk() - okBefore, frames.size());
            Traffic.announce(output, "sending " + frames.size() + " frames on " + device);
            long start = s.nanoTime();
            Session.Sent sent = s.send(frames, rate == null ? 0 : rate, progress);
            long elapsed = s.nanoTime() - start;
            progress.finish();
            boolean removed = s.deviceGone();
            if (removed) {
                s.teardown();                                // completes what the device and the driver held
            }
            long ok = s.edge.completedOk() - okBefore;
            long failed = s.edge.completedFailed() - failedBefore;
            long completed = ok + failed;
            // After a removal FAILURE and SEND_ABORTED say where a frame was when the device went (see
            // Traffic.removal); otherwise a failed completion is an error, as always.
            long unconfirmed = removed ? s.edge.completedFailure() - failureBefore : 0;
            long aborted = removed ? s.edge.completedAborted() - abortedBefore : 0;
            long notSubmitted = removed ? frames.size() - sent.submitted() : 0;
            long bytes = 0;
            if (g != null) {
                bytes = ok * (long) g.size;
            } else {
                for (int i = 0; i < frames.size() && i < ok; i++) {
                    bytes += frames.get(i).length;
                }
            }
            interrupted = stop.requested();
            Map<String, Object> summary = Traffic.summary(ok, bytes, elapsed, failed - unconfirmed - aborted,
                    interrupted ? 0 : frames.size() - completed - notSubmitted);
            Traffic.removal(summary, unconfirmed, aborted, notSubmitted);
            doc.put("summary", summary);
            doc.put("device_removed", removed);
            if (interrupted) {
                doc.put("interrupted_after", sent.completed());
            }
            failure = Traffic.incidents(s, output);
            if (interrupted) {
                doc.put("teardown", Traffic.teardownAfterSignal(s));
            }
            if (s.isMock()) {
                doc.put("wire_frames", s.mock.wire().transmittedFrames() - wireBefore);
                if (capture != null) {
                    List<byte[]> wire = s.mock.wire().captured();
                    try (Pcap.Writer w = new Pcap.Writer(capture)) {
                        long t = 0;
                        for (byte[] f : wire) {
                            w.write(t++, f, 0, f.length);
                        }
                    }
                    doc.put("capture", capture.toString());
                }
            }
        }
        PrintWriter out = output.out();
        if (output.json()) {
            out.println(Json.write(doc));
        } else {
            @SuppressWarnings("unchecked")
            Map<String, Object> summary = (Map<String, Object>) doc.get("summary");
            out.println(Traffic.summaryLine("sent", summary)
                    + (interrupted ? " (interrupted after " + doc.get("interrupted_after") + " of " + doc.get("count") + ")" : ""));
            if (doc.containsKey("wire_frames")) {
                out.println("mock wire: " + doc.get("wire_frames") + " frames captured"
                        + (capture != null ? ", written to " + capture : ""));
            }
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
}
