package io.nicup.cli;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code bringup} found: the steps from the trace, the attributes the miniport reported (null when
 * it never got that far), the verifier's verdict and the result ({@code ok} or the failure's message).
 * {@code outcome} is the last line's word (ok, FAILED or interrupted); under {@code --hold} the attributes
 * were printed when the adapter came up, so the report leaves them out of its lines. {@code virtualTime}:
 * the durations are on a simulated NIC's virtual clock, and labelled so.
 */
record BringupReport(String device, String driver, Attributes attributes, List<Step> steps, Verdict verifier,
        String result, String outcome, boolean hold, Path trace, boolean virtualTime) implements Report {

    /** NDIS calls it every 2 s while the adapter runs: summarized, not listed call by call. */
    static final String CHECK_FOR_HANG = "MiniportCheckForHangEx";

    /**
     * One call NDIS made into the miniport at the top of a host operation, or the driver's (de)registration;
     * {@code calls} more than 1 for a periodic call (CheckForHang) summarized in one row, its durations summed.
     */
    record Step(String name, String dir, long durationNanos, String status, int calls) {

        /** The name as the table shows it: "MiniportCheckForHangEx (x300)" for a summarized periodic call. */
        String label() {
            return calls > 1 ? name + " (x" + calls + ")" : name;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            if (calls > 1) {
                m.put("calls", calls);
            }
            m.put("dir", dir);
            m.put("duration_ns", durationNanos);
            m.put("status", status);
            return m;
        }
    }

    /** The general attributes and link state the miniport reported once Running. */
    record Attributes(String mac, String permanentMac, boolean up, long speedBps, String duplex, int mtu, String state) {

        static Attributes of(Session s) {
            MiniportAdapterAttributes.General g = s.adapter.generalAttributes();
            NdisLinkState link = s.adapter.linkState();
            boolean up = link != null && link.mediaConnectState() == MediaConnectState.MediaConnectStateConnected;
            return new Attributes(String.valueOf(g.currentMacAddress()), String.valueOf(g.permanentMacAddress()), up,
                    up ? link.xmitLinkSpeed() : 0L, link == null ? "unknown"
                            : link.mediaDuplexState().name().replace("MediaDuplexState", "").toLowerCase(Locale.ROOT),
                    g.mtuSize(), String.valueOf(s.adapter.state()));
        }

        Map<String, Object> json() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("mac", mac);
            a.put("permanent_mac", permanentMac);
            a.put("link", up ? "up" : "down");
            a.put("speed_bps", speedBps);
            a.put("duplex", duplex);
            a.put("mtu", mtu);
            a.put("state", state);
            return a;
        }

        String line() {
            return String.format("adapter: mac %s  link %s%s  mtu %s", mac, up ? "up" : "down",
                    speedBps > 0 ? " " + speedBps / 1_000_000 + " Mb/s " + duplex + " duplex" : "", mtu);
        }
    }

    /** The verifier's verdict: its mode and each violation described. */
    record Verdict(String mode, List<String> violations) {
        static Verdict of(Verifier.Verdict v) {
            return new Verdict(String.valueOf(v.mode()), v.violations().stream().map(Violation::describe).toList());
        }

        boolean passed() {
            return violations.isEmpty();
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", mode);
            m.put("passed", passed());
            m.put("violations", violations);
            return m;
        }
    }

    /**
     * The steps of the sequence from the trace: every call NDIS made into the miniport at the top of a
     * host operation (DriverEntry, MiniportInitializeEx, MiniportOidRequest, MiniportRestart, MiniportPause,
     * MiniportHaltEx, MiniportDriverUnload), and the driver's registration and deregistration.
     */
    static List<Step> steps(NdisTrace trace) {
        return steps(trace.events());
    }

    /**
     * The same from the events; NDIS's periodic MiniportCheckForHangEx (every 2 s while Running, so 300 rows
     * in ten minutes of --hold) is one row per run of calls, with their number.
     */
    static List<Step> steps(List<NdisTrace.Event> events) {
        List<Step> steps = new ArrayList<>();
        for (NdisTrace.Event e : events) {
            boolean step = e.kind() == NdisTrace.Kind.CALL
                    && (e.direction() == NdisTrace.Direction.NDIS_TO_MINIPORT && e.depth() <= 1
                            || e.name().equals("NdisMRegisterMiniportDriver")
                            || e.name().equals("NdisMDeregisterMiniportDriver"));
            if (!step) {
                continue;
            }
            String status = e.hasStatus() ? NdisStatus.name(e.status()) : "(void)";
            Step last = steps.isEmpty() ? null : steps.getLast();
            if (last != null && e.name().equals(CHECK_FOR_HANG) && last.name().equals(CHECK_FOR_HANG)) {
                steps.set(steps.size() - 1, new Step(last.name(), last.dir(), last.durationNanos()
                        + Math.max(0, e.durationNanos()), status, last.calls() + 1));
            } else {
                steps.add(new Step(e.name(), e.direction().arrow(), e.durationNanos(), status, 1));
            }
        }
        return steps;
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        doc.put("driver", driver);
        if (attributes != null) {
            doc.put("attributes", attributes.json());
        }
        VirtualTime.label(doc, virtualTime);
        doc.put("steps", steps.stream().map(Step::json).toList());
        doc.put("verifier", verifier.json());
        doc.put("result", result);
        return doc;
    }

    @Override
    public List<String> lines(boolean quiet) {
        List<String> lines = new ArrayList<>();
        if (!quiet) {
            Table t = new Table("STEP", "DIRECTION", VirtualTime.column("DURATION", virtualTime), "STATUS");   // device clock
            for (Step st : steps) {
                long ns = st.durationNanos();
                t.row(st.label(), st.dir(), ns < 0 ? "running" : String.format("%.3f ms", ns / 1e6), st.status());
            }
            lines.addAll(t.lines());
            if (!hold && attributes != null) {
                lines.add(attributes.line());
            }
            if (virtualTime) {
                lines.add(VirtualTime.note("durations"));
            }
        }
        lines.add("verifier (" + verifier.mode() + "): " + (verifier.passed() ? "passed, no violations"
                : verifier.violations().size() + " violation(s)"));
        verifier.violations().forEach(x -> lines.add("  " + x));
        if (trace != null) {
            lines.add("trace: " + trace);
        }
        lines.add("bringup: " + outcome);
        return lines;
    }
}
