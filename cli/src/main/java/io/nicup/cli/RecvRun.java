package io.nicup.cli;

import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
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
    private IntervalStats intervals;
    /** --checksums: the verdicts counted, each frame's printed; null without. */
    private ChecksumVerdicts verdicts;
    /** --rss: the hashes counted, each frame's printed; null without. */
    private RssHashes hashes;
    /** Frames and bytes per receive queue; null before the adapter runs. */
    private ReceiveQueueCounts queues;

    RecvRun(Session s, Output output, StopSignal stop) {
        this.s = s;
        this.output = output;
        this.stop = stop;
    }

    /** Why the receive loop ended. */
    enum End {
        /** --count frames arrived. */
        COUNT("count"),
        /** --timeout seconds passed. */
        TIMEOUT("timeout"),
        /** Simulated NIC: every injected frame was accounted for, nothing more will arrive. */
        WIRE_EMPTY("wire-empty"),
        INTERRUPTED("interrupted"),
        DEVICE_REMOVED("device-removed");

        final String json;

        End(String json) {
            this.json = json;
        }
    }

    /** --inject: {@code injected} of the file's {@code frames} frames went onto the wire (fewer after Ctrl-C). */
    record Injection(long injected, int frames) {
    }

    /** What to receive: into {@code pcap}, at most {@code max} frames (a --count when {@code counted}). */
    record Ask(Path pcap, int max, boolean counted, int timeoutSeconds, boolean promiscuous, List<byte[]> inject,
            double interval, boolean checksums, boolean rss) {
    }

    /**
     * What {@code recv} found; {@code teardown} only after a signal, {@code failure} an IOMMU fault. After
     * a surprise removal (the device vanished) the summary's errors and drops are unknown; after the kernel
     * asked for the device back they are what it counted up to the removal's pause.
     */
    record Report(String device, TrafficSummary summary, boolean removed, Path pcap, Integer count, End end,
            int timeoutSeconds, String teardown, CliException fault, Injection injection, ChecksumVerdicts verdicts,
            RssHashes hashes, ReceiveQueueCounts queues)
            implements io.nicup.cli.Report {

        boolean interrupted() {
            return end == End.INTERRUPTED;
        }

        /** A --count that was not reached for a reason of its own (not a signal, not a removal). */
        boolean incomplete() {
            return count != null && summary.frames() < count && (end == End.TIMEOUT || end == End.WIRE_EMPTY);
        }

        /** The IOMMU fault, else exit 11 when --count was not reached, else null. */
        CliException failure() {
            if (fault != null || !incomplete()) {
                return fault;
            }
            return new CliException(ExitCode.INCOMPLETE, "recv incomplete: received=" + summary.frames() + " count="
                    + count + " ended=" + end.json, end == End.TIMEOUT
                    ? "raise --timeout, or check that the link partner sends to this port (--promiscuous takes every frame)"
                    : "inject at least --count frames, or lower --count");
        }

        /** Why fewer frames than --count arrived, as the summary line's tail ("" when it says nothing new). */
        private String shortfall() {
            if (!incomplete()) {
                return "";
            }
            return end == End.TIMEOUT ? " (timed out after " + timeoutSeconds + " s: " + summary.frames() + " of " + count
                    + " frames)" : " (the simulated wire had no more frames: " + summary.frames() + " of " + count + ")";
        }

        /** " (interrupted)", and how far --inject got when the signal stopped it part-way. */
        private String interruption() {
            return injection == null || injection.injected() == injection.frames() ? " (interrupted)"
                    : " (interrupted after injecting " + injection.injected() + " of " + injection.frames() + " frames)";
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("summary", summary.json());
            doc.put("device_removed", removed);
            doc.put("pcap", pcap.toString());
            doc.put("count", count);
            doc.put("ended", end.json);
            doc.put("timed_out", end == End.TIMEOUT);
            doc.put("interrupted", interrupted());
            if (teardown != null) {
                doc.put("teardown", teardown);
            }
            if (injection != null) {
                doc.put("injected", injection.injected());
                doc.put("inject_frames", injection.frames());
            }
            if (verdicts != null) {
                doc.put("checksums", verdicts.json());
            }
            if (hashes != null) {
                doc.put("rss", hashes.json());
            }
            if (queues != null) {
                doc.put("queues", queues.json());
            }
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new ArrayList<>();
            lines.add(summary.line("received") + ", written to " + (Traffic.isStdio(pcap) ? "standard output" : pcap)
                    + shortfall() + (interrupted() ? interruption() : ""));
            if (verdicts != null) {
                lines.add(verdicts.line());
            }
            if (hashes != null) {
                lines.add(hashes.line());
            }
            if (queues != null && queues.several()) {
                lines.add(queues.line());
            }
            if (teardown != null) {
                lines.add(teardown);
            }
            return lines;
        }
    }

    Report receive(Ask ask) {
        try (Pcap.Writer w = Traffic.isStdio(ask.pcap()) ? Pcap.Writer.onto(output.environment().stdout().get())
                : Pcap.Writer.replacing(ask.pcap())) {
            s.stopWhen(stop::requested);
            s.running(ask.promiscuous() ? NdisPacketFilter.PROMISCUOUS
                    : NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST | NdisPacketFilter.ALL_MULTICAST);
            s.edge.clearReceived();
            verdicts = ask.checksums() ? new ChecksumVerdicts() : null;
            hashes = ask.rss() ? RssHashes.enable(s) : null;
            queues = new ReceiveQueueCounts(s.adapter.generalAttributes().recvScaleCapabilities());
            NdisStatisticsInfo before = s.statistics();
            RunCounters counters = RunCounters.take(s);
            long start = s.nanoTime();
            long deadline = start + ask.timeoutSeconds() * 1_000_000_000L;
            Traffic.Progress progress = new Traffic.Progress(output, "received", () -> frames,
                    ask.counted() ? ask.max() : 0);
            Traffic.announce(output, "receiving on " + s.spec + " into " + ask.pcap());
            intervals = new IntervalStats(s, output, "received", ask.interval(), () -> frames, n -> bytes);
            List<byte[]> injected = ask.inject();
            if (injected != null) {
                for (int i = 0; i < injected.size() && !stop.requested(); i += 32) {   // Ctrl-C stops injecting too
                    Traffic.inject(s, injected.subList(i, Math.min(injected.size(), i + 32)));
                    drain(w, ask.max(), start);
                }
            }
            End end = null;
            while (end == null) {
                if (frames >= ask.max()) {
                    end = End.COUNT;
                } else if (stop.requested()) {
                    end = End.INTERRUPTED;
                } else if (s.deviceGoneLately()) {
                    end = End.DEVICE_REMOVED;
                } else if (s.nanoTime() - deadline >= 0) {
                    end = End.TIMEOUT;
                } else {
                    s.pump(Duration.ofMillis(s.isMock() ? 10 : 1));
                    drain(w, ask.max(), start);
                    progress.run();
                    if (injected != null && s.isMock() && s.mock.wire().injectedFrames() > 0 && frames >= injected.size()
                            && frames < ask.max()) {
                        end = End.WIRE_EMPTY;   // everything injected has arrived: no need to wait out the timeout
                    }
                }
            }
            boolean interrupted = end == End.INTERRUPTED || stop.requested();
            if (interrupted) {
                end = End.INTERRUPTED;
            }
            long elapsed = s.nanoTime() - start;
            progress.finish();
            // A device the kernel asked back still answers: its counters are read in the removal's pause,
            // before the halt and the release. A vanished one answers all-ones: what it counted is unknown.
            boolean removed = s.deviceGone();
            Counted counted = removed ? s.teardownReading(() -> new Counted(s.statistics(), counters.since(s)))
                    : new Counted(s.statistics(), counters.since(s));
            TrafficSummary summary;
            CliException failure;
            if (counted == null) {
                summary = new TrafficSummary(frames, bytes, s.timing(elapsed), null, null, null);
                failure = Traffic.incidents(s, output);
            } else {
                summary = summary(before, counted.after(), counted.run(), elapsed, end == End.COUNT ? null : injected);
                failure = Traffic.incidents(s, output, counted.run().warnings());
            }
            String teardown = interrupted ? Traffic.teardownAfterSignal(s) : null;
            w.commit();                                      // what arrived is the user's, also when cut short
            Injection injection = injected == null ? null : new Injection(s.mock.wire().injectedFrames(), injected.size());
            return new Report(s.spec, summary, removed, ask.pcap(), ask.counted() ? ask.max() : null, end,
                    ask.timeoutSeconds(), teardown, failure, injection, verdicts, hashes, queues);
        }
    }

    /** The device's counters at the end of the run. */
    private record Counted(NdisStatisticsInfo after, RunCounters.Delta run) {
    }

    /**
     * Errors and drops as the device and the driver counted them: a family whose OID_GEN_STATISTICS
     * leaves out the frames its driver dropped (the Intel families count missed packets only) still shows
     * them, and one that includes them (virtio-net) does not count them twice. On a simulated NIC every
     * injected frame is accounted for: what was neither indicated nor counted was filtered out or lost on
     * the wire while the link was down, or returned in a used ring the driver had to reset (not judged when
     * --count stopped the run: the rest is unread).
     */
    private TrafficSummary summary(NdisStatisticsInfo before, NdisStatisticsInfo after, RunCounters.Delta run,
            long elapsed, List<byte[]> injected) {
        Long errors = TrafficSummary.count(after.ifInErrors() - before.ifInErrors());
        Long discards = TrafficSummary.count(after.ifInDiscards() - before.ifInDiscards());
        Long drops = discards == null ? null : Math.max(discards, run.rxDropped());
        TrafficSummary.Lost lost = null;
        if (injected != null && errors != null && drops != null) {
            long missing = Math.max(0, s.mock.wire().injectedFrames() - frames - errors - drops);
            lost = new TrafficSummary.Lost(missing, run.linkDowns() > 0
                    ? "injected but never indicated (lost while the link was down, or filtered out)"
                    : run.resets() > 0 ? "injected but never indicated (filtered out, or returned by the device in"
                    + " a used ring the driver could not trust and reset)"
                    : "injected but never indicated (filtered out)");
        }
        return new TrafficSummary(frames, bytes, s.timing(elapsed), errors, drops, null, lost);
    }

    private void drain(Pcap.Writer w, int max, long start) {
        List<byte[]> got;
        List<Integer> checksums;
        List<Long> rss;
        List<Integer> queue;
        synchronized (s.edge) {   // FrameEdge's methods lock it: nothing arrives between the calls
            got = s.edge.received();
            checksums = s.edge.receivedChecksums();
            rss = s.edge.receivedHashes();
            queue = s.edge.receivedQueues();
            s.edge.clearReceived();
        }
        for (int i = 0; i < got.size(); i++) {
            byte[] f = got.get(i);
            if (frames >= max) {
                return;
            }
            w.write((s.nanoTime() - start) / 1000, f, 0, f.length);
            frames++;
            bytes += f.length;
            queues.count(queue.get(i), f.length);
            String verdict = verdicts == null ? "" : ", checksum " + verdicts.count(checksums.get(i));
            String hash = hashes == null ? "" : ", " + hashes.count(rss.get(i));
            if ((verdicts != null || hashes != null) && !output.json() && !output.quiet()) {
                output.printText("frame " + frames + ": " + f.length + " bytes" + verdict + hash + "\n");
            }
        }
        intervals.tick();
    }
}
