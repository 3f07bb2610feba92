package io.nicup.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The closing summary of send, recv and loopback: frames, bytes, the time they took on the device clock
 * (virtual on a simulated NIC), errors and drops, and for send and loopback where the frames a surprise
 * removal caught went ({@link Removal}; recv has none). Errors or drops nicup cannot know (recv's come
 * from the device's counters, which a removed device answers with all-ones) are null: printed
 * {@code unknown}, JSON {@code null}, never a made-up number. {@code paused} (send and loopback; null for
 * recv) are the sends a pause gave back unsent with NDIS_STATUS_PAUSED, as a removal's pause does
 * (docs/ndis-contract.md §22): not sent, and no error either.
 */
record TrafficSummary(long frames, long bytes, Timing timing, Long errors, Long drops, Removal removal, Lost lost,
        Long paused) {

    /** The summary without frames lost outside the device (loopback: a missing frame is a drop). */
    TrafficSummary(long frames, long bytes, Timing timing, Long errors, Long drops, Removal removal) {
        this(frames, bytes, timing, errors, drops, removal, null, null);
    }

    /** The summary of a run that sends nothing ({@code paused} null: recv). */
    TrafficSummary(long frames, long bytes, Timing timing, Long errors, Long drops, Removal removal, Lost lost) {
        this(frames, bytes, timing, errors, drops, removal, lost, null);
    }

    /**
     * Frames asked for that neither the device nor the driver counted: {@code count} of them, and
     * {@code why} as the summary says it ("lost while the link was down").
     */
    record Lost(long count, String why) {
    }

    /**
     * How long the traffic took and on which clock: a simulated NIC runs on virtual time, which does not
     * model the wire, so its rates are labelled simulated and may exceed {@code linkBps} (the link NDIS
     * was told of, 0 when unknown); a real NIC's are measured on the system clock.
     */
    record Timing(long elapsedNanos, boolean virtual, long linkBps) {
    }

    long elapsedNanos() {
        return timing.elapsedNanos();
    }

    /** A difference of two counter readings, or null (unknown) when it cannot be a count. */
    static Long count(long value) {
        return value < 0 ? null : value;
    }

    /**
     * Where the frames a surprise removal caught went, so that every frame asked for is counted once:
     * {@code unconfirmed} were on the device's ring without a write-back (completed NDIS_STATUS_FAILURE:
     * they may have reached the wire), {@code aborted} waited in the driver's queue (SEND_ABORTED) and
     * {@code notSubmitted} nicup never gave to NDIS. All 0 without a removal.
     */
    record Removal(long unconfirmed, long aborted, long notSubmitted) {
        static final Removal NONE = new Removal(0, 0, 0);

        boolean any() {
            return unconfirmed > 0 || aborted > 0 || notSubmitted > 0;
        }
    }

    long pps() {
        return elapsedNanos() <= 0 ? 0 : Math.round(frames * 1e9 / elapsedNanos());
    }

    /** The frames' bits per second (without preamble, FCS and gap); 0 when no time passed. */
    long bps() {
        return elapsedNanos() <= 0 ? 0 : Math.round(bytes * 8e9 / elapsedNanos());
    }

    boolean beyondLink() {
        return timing.linkBps() > 0 && bps() > timing.linkBps();
    }

    /** "640.0 Mb/s": bits per second in the unit that keeps three or four digits. */
    static String bitRate(long bps) {
        if (bps >= 1_000_000_000L) {
            return String.format("%.1f Gb/s", bps / 1e9);
        }
        if (bps >= 1_000_000L) {
            return String.format("%.1f Mb/s", bps / 1e6);
        }
        return bps >= 1000 ? String.format("%.1f kb/s", bps / 1e3) : bps + " b/s";
    }

    /** The time and rates: "in T ms (P pps, R)", with virtual time and a rate beyond the link said so. */
    private String timeAndRate() {
        String rate = pps() + " pps, " + bitRate(bps()) + VirtualTime.rate(timing.virtual());
        if (beyondLink()) {
            rate += ", beyond the " + bitRate(timing.linkBps()) + " link" + (timing.virtual()
                    ? ": the simulated NIC does not model wire time" : ": completions arrived in a burst");
        }
        return String.format("in %.3f ms%s (%s)", elapsedNanos() / 1_000_000.0, VirtualTime.ofTime(timing.virtual()), rate);
    }

    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", frames);
        m.put("bytes", bytes);
        m.put("elapsed_ms", elapsedNanos() / 1_000_000.0);
        VirtualTime.label(m, timing.virtual());
        m.put("pps", pps());
        m.put("bps", bps());
        m.put("link_bps", timing.linkBps());
        m.put("errors", errors);
        m.put("drops", drops);
        if (lost != null) {
            m.put("lost", lost.count());
        }
        if (paused != null) {
            m.put("not_sent_paused", paused);
        }
        if (removal != null) {
            m.put("unconfirmed", removal.unconfirmed());
            m.put("aborted", removal.aborted());
            m.put("not_submitted", removal.notSubmitted());
        }
        return m;
    }

    /** "VERB N frames, B bytes in T ms (P pps), E errors, D drops", and where a removal's frames went. */
    String line(String verb) {
        String line = String.format("%s %d frames, %d bytes %s, %s errors, %s drops", verb, frames, bytes, timeAndRate(),
                errors == null ? "unknown" : errors, drops == null ? "unknown" : drops)
                + (lost != null && lost.count() > 0 ? ", " + lost.count() + " " + lost.why() : "")
                + (paused != null && paused > 0 ? ", " + paused + " not sent (paused)" : "");
        if (removal == null || !removal.any()) {
            return line;                                     // the line scripts and the README know
        }
        List<String> parts = new ArrayList<>();
        if (removal.unconfirmed() > 0) {
            parts.add(removal.unconfirmed() + " on the ring unconfirmed (may have reached the wire)");
        }
        long never = removal.aborted() + removal.notSubmitted();
        if (never > 0) {
            parts.add(never + " never handed to the device (" + removal.aborted() + " queued in the driver, "
                    + removal.notSubmitted() + " not submitted)");
        }
        return line + "; at the removal: " + String.join(", ", parts);
    }
}
