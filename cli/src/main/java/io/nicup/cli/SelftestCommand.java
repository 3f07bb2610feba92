package io.nicup.cli;

import io.nicup.ndis.miniport.core.SelfTestResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "selftest",
        header = "Run the offline self-tests of the device (like ethtool -t ... offline).",
        description = {
            "Brings the adapter up to Paused and runs, in order: register (writable bits hold patterns,",
            "read-only STATUS bits do not move), nvm (checksum word sum 0xBABA), interrupt (each cause raises",
            "the vector), phy-loopback and mac-loopback (64 frames of 1024 bytes come back byte for byte)",
            "and link (STATUS.LU within 5 s). Prints PASS, FAIL or SKIPPED per test with the reason, then",
            "halts and unloads; the last line counts the skipped tests apart from the passed ones and says",
            "why they were skipped. Exit 9 when any test fails (a skipped test does not fail the run). On a",
            "simulated NIC a note line says the times in the reasons are its virtual time (JSON virtual_time)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup selftest 0000:01:00.0", "  nicup --json selftest mock:82574L",
            "  nicup selftest 'mock:82574L?fault=link-down'   # exit 9: the link test fails"})
final class SelftestCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    /**
     * The offline self-tests' results, in the order they ran; {@code virtualTime}: the times their reasons
     * give ("link up ... after 500 ms") are on a simulated NIC's virtual clock, and labelled so.
     */
    record Report(String device, List<SelfTestResult> results, boolean virtualTime) implements io.nicup.cli.Report {

        List<SelfTestResult> failed() {
            return results.stream().filter(r -> !r.passed()).toList();
        }

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            VirtualTime.label(doc, virtualTime);
            doc.put("tests", results.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("outcome", r.outcome().name());
                m.put("reason", r.reason());
                return m;
            }).toList());
            doc.put("failed", (long) failed().size());
            doc.put("skipped", (long) skipped().size());
            doc.put("passed", failed().isEmpty());
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new ArrayList<>();
            if (!quiet) {
                Table t = new Table("TEST", "RESULT", "REASON");
                results.forEach(r -> t.row(r.name(), r.outcome(), r.reason()));
                lines.addAll(t.lines());
                if (virtualTime) {
                    lines.add(VirtualTime.note("times in the reasons"));
                }
            }
            lines.add("selftest: " + verdict());
            return lines;
        }

        List<SelfTestResult> skipped() {
            return results.stream().filter(r -> r.outcome() == SelfTestResult.Outcome.SKIPPED).toList();
        }

        /**
         * "all 6 tests passed", or what did not pass: a skipped test is neither passed nor failed, and
         * its reason is said ("5 passed, 1 skipped (loopback: ...)").
         */
        private String verdict() {
            int failed = failed().size();
            List<SelfTestResult> skipped = skipped();
            int passed = results.size() - failed - skipped.size();
            if (failed == 0 && skipped.isEmpty()) {
                return "all " + results.size() + " tests passed";
            }
            String skips = skipped.isEmpty() ? "" : ", " + skipped.size() + " skipped ("
                    + skipped.stream().map(r -> r.name() + ": " + r.reason()).collect(Collectors.joining("; ")) + ")";
            return failed == 0 ? passed + " passed" + skips
                    : failed + " of " + results.size() + " tests FAILED, " + passed + " passed" + skips;
        }

        /** Exit 9 naming the failed tests and the first one's reason; null when none failed. */
        CliException failure() {
            List<SelfTestResult> failed = failed();
            if (failed.isEmpty()) {
                return null;
            }
            SelfTestResult first = failed.getFirst();
            return new CliException(ExitCode.SELFTEST_FAILED, "self-test failed: " + failed.stream()
                    .map(SelfTestResult::name).toList() + ": " + first.name() + ": "
                    + first.reason(), "check the cable and link partner, and the device with nicup regs");
        }
    }

    @Override
    public Integer call() {
        Session s = dev.open();
        Report report = s.run(x -> {
            x.initialize();
            return new Report(x.spec, x.diagnostics().runOffline(), x.virtualTime());
        });
        dev.output.print(report);
        return s.finish(report.failure(), false);
    }
}
