package io.nicup.cli;

import io.nicup.ndis.conformance.RssSpread;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code nicup rss} measured: one row per receive queue and the verdict. */
record RssReport(String device, RssSpread.Run run) implements Report {

    private RssSpread.Spread spread() {
        return run.spread();
    }

    /** "PASS" or "FAIL: ..." with what went wrong. */
    String verdict() {
        RssSpread.Spread s = spread();
        if (s.passed()) {
            return "PASS: " + s.received() + " frames of " + run.flows() + " flows each on the queue its table entry"
                    + " names, with the software Toeplitz hash; " + s.queues().size() + " queue"
                    + (s.queues().size() == 1 ? "" : "s") + " reached";
        }
        List<String> why = new ArrayList<>();
        if (s.received() < s.sent()) {
            why.add((s.sent() - s.received()) + " of " + s.sent() + " frames not received");
        }
        if (s.wrongHash() > 0) {
            why.add(s.wrongHash() + " with a hash other than the reference's");
        }
        if (s.wrongQueue() > 0) {
            why.add(s.wrongQueue() + " on a queue other than the table names");
        }
        if (!s.unreached().isEmpty()) {
            why.add("queues " + s.unreached() + " named by the table but never reached");
        }
        return "FAIL: " + String.join(", ", why);
    }

    /** Exit 9 with the first problem; null on PASS. */
    CliException failure() {
        if (spread().passed()) {
            return null;
        }
        String first = spread().problems().isEmpty() ? "" : " first: " + spread().problems().getFirst();
        return new CliException(ExitCode.SELFTEST_FAILED, "rss spread wrong: device=" + device + " " + verdict()
                .substring("FAIL: ".length()) + first, "rerun with --trace FILE; the rss conformance check shows every frame");
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        doc.put("announced_queues", run.announced());
        doc.put("flows", run.flows());
        doc.put("sent", spread().sent());
        doc.put("received", spread().received());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RssSpread.Queue q : spread().queues()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("queue", q.queue());
            row.put("frames", q.frames());
            row.put("share", share(q));
            row.put("expected", q.expected());
            row.put("mismatches", q.mismatches());
            rows.add(row);
        }
        doc.put("queues", rows);
        doc.put("wrong_hash", spread().wrongHash());
        doc.put("passed", spread().passed());
        doc.put("problems", spread().problems());
        return doc;
    }

    @Override
    public List<String> lines(boolean quiet) {
        List<String> lines = new ArrayList<>();
        if (!quiet) {
            Table t = new Table("QUEUE", "FRAMES", "SHARE", "EXPECTED", "MISMATCHES");
            for (RssSpread.Queue q : spread().queues()) {
                t.row(q.queue(), q.frames(), String.format(Locale.ROOT, "%.1f%%", 100 * share(q)), q.expected(),
                        q.mismatches());
            }
            lines.addAll(t.lines());
            spread().problems().stream().limit(4).forEach(p -> lines.add("  " + p));
        }
        lines.add("rss: " + verdict());
        return lines;
    }

    private double share(RssSpread.Queue q) {
        return spread().received() == 0 ? 0 : (double) q.frames() / spread().received();
    }
}
