package io.nicup.cli;

import io.nicup.mock.MockPciDevice;
import io.nicup.mock.intel.IntelModel;
import io.nicup.ndis.conformance.CheckReport;
import io.nicup.ndis.conformance.CheckResult;
import io.nicup.ndis.conformance.ConformanceBattery;
import io.nicup.ndis.conformance.ConformanceCheck;
import io.nicup.ndis.conformance.ConformanceTarget;
import io.nicup.ndis.conformance.DeviceRemover;
import io.nicup.ndis.conformance.LinkPartner;
import io.nicup.ndis.conformance.SimulatedWire;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** What `nicup conformance` found: each check as it ran, and the verifier's verdict over the whole run. */
record ConformanceReport(String device, String driver, List<CheckReport> checks, BringupReport.Verdict verifier)
        implements Report {

    /**
     * Runs {@code checks} on the session's device (the driver loaded, no adapter up yet) with {@code partner}
     * at the far end of its cable.
     */
    static ConformanceReport run(Session s, List<ConformanceCheck> checks, LinkPartner partner) {
        return run(s, checks, partner, Optional.empty());
    }

    /** The battery with {@code remover} taking the device off the bus for surprise-removal (docs/ndis-contract.md §22). */
    static ConformanceReport run(Session s, List<ConformanceCheck> checks, LinkPartner partner,
            Optional<DeviceRemover> remover) {
        ConformanceTarget base = target(s, partner);
        ConformanceTarget target = remover.map(base::withRemover).orElse(base);
        List<CheckReport> reports = ConformanceBattery.run(target, checks);
        return new ConformanceReport(s.spec, s.driver.name(), reports, BringupReport.Verdict.of(s.host.verifier().verdict()));
    }

    List<CheckReport> with(CheckResult.Outcome outcome) {
        return checks.stream().filter(c -> c.result().outcome() == outcome).toList();
    }

    /** "12.345 ms", with "virtual" on a simulated NIC's clock. */
    static String duration(CheckReport c) {
        return String.format(Locale.ROOT, "%.3f ms", c.durationNanos() / 1e6) + (c.virtualTime() ? " virtual" : "");
    }

    @Override
    public Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", device);
        doc.put("driver", driver);
        doc.put("checks", checks.stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("result", c.result().outcome().name());
            m.put("detail", c.result().detail());
            m.put("duration_ns", c.durationNanos());
            m.put("virtual_time", c.virtualTime());
            m.put("mirrors", c.mirrors());
            return m;
        }).toList());
        doc.put("verifier", verifier.json());
        doc.put("passed", (long) with(CheckResult.Outcome.PASS).size());
        doc.put("failed", (long) with(CheckResult.Outcome.FAIL).size());
        doc.put("skipped", (long) with(CheckResult.Outcome.SKIPPED).size());
        return doc;
    }

    @Override
    public List<String> lines(boolean quiet) {
        List<String> lines = new ArrayList<>();
        if (!quiet) {
            Table t = new Table("CHECK", "RESULT", "DURATION", "MIRRORS", "DETAIL");
            checks.forEach(c -> t.row(c.name(), c.result().outcome(), duration(c), c.mirrors(), c.result().detail()));
            lines.addAll(t.lines());
            lines.add("verifier (" + verifier.mode() + "): " + (verifier.passed() ? "passed, no violations"
                    : verifier.violations().size() + " violation(s)"));
            verifier.violations().forEach(v -> lines.add("  " + v));
        }
        lines.add("conformance: " + summary());
        return lines;
    }

    /** "5 passed, 0 failed, 1 skipped (flow-control: ...)": a skip is counted apart from the passes. */
    String summary() {
        List<CheckReport> skipped = with(CheckResult.Outcome.SKIPPED);
        return with(CheckResult.Outcome.PASS).size() + " passed, " + with(CheckResult.Outcome.FAIL).size() + " failed, "
                + skipped.size() + " skipped" + (skipped.isEmpty() ? "" : " (" + skipped.stream()
                        .map(c -> c.name() + ": " + c.result().detail()).collect(Collectors.joining("; ")) + ")");
    }

    /** Exit 9 naming the failed checks and the first one's evidence; null when none failed. */
    CliException failure() {
        List<CheckReport> failed = with(CheckResult.Outcome.FAIL);
        if (failed.isEmpty()) {
            return null;
        }
        CheckReport first = failed.getFirst();
        return new CliException(ExitCode.SELFTEST_FAILED, "conformance check failed: checks=" + failed.stream()
                .map(CheckReport::name).collect(Collectors.joining(",")) + " " + first.name() + ": "
                + first.result().detail(), "rerun the check with --only NAME --trace FILE and see README.md's"
                + " table of checks for what it sends and what passes");
    }

    /** The session's NIC as the battery (and {@code nicup rss}) sees it: host, driver, device, wire, partner. */
    static ConformanceTarget target(Session s, LinkPartner partner) {
        Optional<SimulatedWire> wire = s.isMock() ? Optional.of(wireOf(s.mock)) : Optional.empty();
        return new ConformanceTarget(s.host, s.driver, s.loaded, s.device, wire, partner);
    }

    /** A simulated NIC's wire as the battery sees it. */
    static SimulatedWire wireOf(MockPciDevice device) {
        SimulatedWire wire = SimulatedWire.of(device.wire()::inject, device.wire()::pollCaptured, device.wire()::setLink,
                device::surpriseRemove);
        return device.model() instanceof IntelModel<?>
                ? SimulatedWire.withFlowControl(wire, device.wire()::oldestCapturedAt, device.wire()::pollCaptured)
                : SimulatedWire.withoutFlowControl(wire, device.model().name() + " has no IEEE 802.3x flow control");
    }
}
