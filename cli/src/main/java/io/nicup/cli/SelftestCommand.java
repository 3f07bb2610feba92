package io.nicup.cli;

import io.nicup.ndis.miniport.core.SelfTestResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "selftest",
        header = "Run the offline self-tests of the device (like ethtool -t ... offline).",
        description = {
            "Brings the adapter up to Paused and runs, in order: register (writable bits hold patterns,",
            "read-only STATUS bits do not move), nvm (checksum word sum 0xBABA), interrupt (each cause raises",
            "the vector), phy-loopback and mac-loopback (64 frames of 1024 bytes come back byte for byte)",
            "and link (STATUS.LU within 5 s). Prints PASS, FAIL or SKIPPED per test with the reason, then",
            "halts and unloads. Exit 9 when any test fails."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup selftest 0000:01:00.0", "  nicup --json selftest mock:82574L",
            "  nicup selftest 'mock:82574L?fault=link-down'   # exit 9: the link test fails"})
final class SelftestCommand implements Callable<Integer> {

    @Mixin
    Output output;

    @Mixin
    BindOption bindOption;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @Option(names = "--params", paramLabel = "FILE", description = "Parameter file for the driver.")
    Path params;

    @Override
    public Integer call() {
        List<SelfTestResult> results;
        try (Session s = Session.open(output.environment(), device, params, bindOption.take(output, device))) {
            s.initialize();
            results = s.diagnostics().runOffline();
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        PrintWriter out = output.out();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("tests", results.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("outcome", r.outcome().name());
                m.put("reason", r.reason());
                return m;
            }).toList());
            doc.put("failed", failed);
            doc.put("passed", failed == 0);
            out.println(Json.write(doc));
        } else {
            if (!output.quiet()) {
                Table t = new Table("TEST", "RESULT", "REASON");
                results.forEach(r -> t.row(r.name(), r.outcome(), r.reason()));
                t.print(out);
            }
            out.println(failed == 0 ? "selftest: all " + results.size() + " tests passed"
                    : "selftest: " + failed + " of " + results.size() + " tests FAILED");
        }
        out.flush();
        if (failed > 0) {
            SelfTestResult first = results.stream().filter(r -> !r.passed()).findFirst().orElseThrow();
            throw new CliException(ExitCode.SELFTEST_FAILED, "self-test failed: " + results.stream()
                    .filter(r -> !r.passed()).map(SelfTestResult::name).toList() + ": " + first.name() + ": "
                    + first.reason(), "check the cable and link partner, and the device with nicup regs");
        }
        return ExitCode.OK.code();
    }
}
