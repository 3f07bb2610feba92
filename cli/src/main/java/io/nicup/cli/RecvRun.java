package io.nicup.cli;

import io.nicup.ndis.NdisPacketFilter;
import io.nicup.ndis.NdisStatisticsInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code recv} on a session: brings it to Running with the filter asked for, writes each frame NDIS
 * indicates to the pcap file until enough arrived, the time is up, a signal or the device went away, and
 * returns what happened as a {@link Report}.
 */
final class RecvRun {

    private final Session s;
    private final Output output;
    private final StopSignal stop;
    private long frames;
    private long bytes;

    RecvRun(Session s, Output output, StopSignal stop) {
        this.s = s;
        this.output = output;
        this.stop = stop;
    }

    /** What to receive: into {@code pcap}, at most {@code max} frames (a --count when {@code counted}). */
    record Ask(Path pcap, int max, boolean counted, int timeoutSeconds, boolean promiscuous, List<byte[]> inject) {
    }

    /**
     * What {@code recv} found; {@code teardown} only after a signal, {@code failure} an IOMMU fault. After
     * a removal ({@code removed}) the summary's errors and drops are unknown.
     */
    record Report(String device, TrafficSummary summary, boolean removed, Path pcap, boolean timedOut, int timeoutSeconds,
            boolean interrupted, String teardown, CliException failure) implements io.nicup.cli.Report {

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("summary", summary.json());
            doc.put("device_removed", removed);
            doc.put("pcap", pcap.toString());
            doc.put("timed_out", timedOut);
            doc.put("interrupted", interrupted);
            if (teardown != null) {
                doc.put("teardown", teardown);
            }
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new ArrayList<>();
            lines.add(summary.line("received") + ", written to " + pcap
                    + (timedOut ? " (timed out after " + timeoutSeconds + " s)" : "") + (interrupted ? " (interrupted)" : ""));
            if (teardown != null) {
                lines.add(teardown);
            }
            return lines;
        }
    }

    Report receive(Ask ask) {
        try (Pcap.Writer w = new Pcap.Writer(ask.pcap())) {
            s.stopWhen(stop::requested);
            s.running(ask.promiscuous() ? NdisPacketFilter.PROMISCUOUS
                    : NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST | NdisPacketFilter.ALL_MULTICAST);
            s.edge.clearReceived();
            NdisStatisticsInfo before = s.statistics();
            long start = s.nanoTime();
            long deadline = start + ask.timeoutSeconds() * 1_000_000_000L;
            Traffic.Progress progress = new Traffic.Progress(output, "received", () -> frames,
                    ask.counted() ? ask.max() : 0);
            Traffic.announce(output, "receiving on " + s.spec + " into " + ask.pcap());
            List<byte[]> injected = ask.inject();
            if (injected != null) {
                for (int i = 0; i < injected.size(); i += 32) {
                    Traffic.inject(s, injected.subList(i, Math.min(injected.size(), i + 32)));
                    drain(w, ask.max(), start);
                }
            }
            while (frames < ask.max() && s.nanoTime() - deadline < 0 && !stop.requested() && !s.deviceGoneLately()) {
                s.pump(Duration.ofMillis(s.isMock() ? 10 : 1));
                drain(w, ask.max(), start);
                progress.run();
                if (injected != null && s.isMock() && s.mock.wire().injectedFrames() > 0 && frames >= injected.size()) {
                    break;   // everything injected has arrived: no need to wait out the timeout in virtual time
                }
            }
            boolean interrupted = stop.requested();
            boolean timedOut = frames < ask.max() && ask.counted() && !interrupted;
            long elapsed = s.nanoTime() - start;
            progress.finish();
            // A removed device answers its counter reads with all-ones: what it counted is unknown.
            boolean removed = s.deviceGone();
            NdisStatisticsInfo after = removed ? null : s.statistics();
            TrafficSummary summary = new TrafficSummary(frames, bytes, elapsed,
                    removed ? null : TrafficSummary.count(after.ifInErrors() - before.ifInErrors()),
                    removed ? null : TrafficSummary.count(after.ifInDiscards() - before.ifInDiscards()), null);
            CliException failure = Traffic.incidents(s, output);
            String teardown = interrupted ? Traffic.teardownAfterSignal(s) : null;
            return new Report(s.spec, summary, removed, ask.pcap(), timedOut, ask.timeoutSeconds(), interrupted, teardown,
                    failure);
        }
    }

    private void drain(Pcap.Writer w, int max, long start) {
        List<byte[]> got;
        synchronized (s.edge) {   // FrameEdge's methods lock it: nothing arrives between the two calls
            got = s.edge.received();
            s.edge.clearReceived();
        }
        for (byte[] f : got) {
            if (frames >= max) {
                return;
            }
            w.write((s.nanoTime() - start) / 1000, f, 0, f.length);
            frames++;
            bytes += f.length;
        }
    }
}
