package io.nicup.cli;

import io.nicup.ndis.conformance.ConformanceBattery;
import io.nicup.ndis.conformance.ConformanceCheck;
import io.nicup.ndis.conformance.DeviceRemover;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "conformance",
        header = "Run the conformance battery: the checks HLK NDISTest and Driver Verifier run on a miniport.",
        description = {
            "Each check brings up its own adapter, plays what the HLK test or Driver Verifier rule it mirrors",
            "plays, and halts it: timed-rules, oid-buffers, oid-robustness, packet-filters, send-shapes,",
            "pause-restart, link, priority, flow-control, reset, surprise-removal (README.md has the table: what",
            "each sends and what passes; surprise-removal runs last, as the device is gone afterwards). Prints",
            "PASS, FAIL or SKIPPED per check with the evidence or the reason, its duration (virtual on a simulated",
            "NIC) and what it mirrors; then the verifier's verdict; the last line counts passed, failed and skipped",
            "checks (a skipped check is never a pass). Exit 9 when any check fails.",
            "On real hardware packet-filters, priority, checksum-offload, large-send and rss need --peer reflect",
            "and link needs --link-command (docs/ndis-contract.md §18: what nicup sends, runs and expects); without",
            "them they are SKIPPED. surprise-removal needs --remove-command there (docs/ndis-contract.md §22).",
            "When the kernel asks for the device back during a run (a hot-unplug, an unbind), the remaining checks",
            "are SKIPPED, the device is released and the exit code is 8."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup conformance mock:82574L",
            "  nicup conformance 0000:01:00.0 --only timed-rules,oid-buffers --junit conformance.xml",
            "  nicup conformance 0000:01:00.0 --only packet-filters,priority,link --peer reflect \\",
            "      --link-command ./switch-port.sh",
            "  nicup conformance 0000:01:00.0 --only surprise-removal --remove-command ./unplug-slot.sh",
            "  nicup --json conformance mock:virtio-net"})
final class ConformanceCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Option(names = "--only", paramLabel = "NAME", split = ",",
            description = "Run only these checks (comma-separated; in battery order).")
    List<String> only = new ArrayList<>();

    @Mixin
    LinkPartnerOptions partner;

    @Option(names = "--remove-command", paramLabel = "CMD",
            description = "An executable surprise-removal runs (no shell, no argument; NICUP_DEVICE set) with sends in"
                    + " flight to take the device off the bus: a hot-unplug or an unbind. It must exit 0 within 60 s once"
                    + " the removal was asked for; the kernel then asks nicup for the device back, nicup halts the"
                    + " adapter and releases it, and the device must leave the bus within 30 s. Without it"
                    + " surprise-removal is SKIPPED on real hardware. The device is gone afterwards.")
    Path removeCommand;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Write the results as JUnit XML (one testcase per check) to FILE.")
    Path junit;

    @Override
    public Integer call() {
        List<ConformanceCheck> checks = selected();
        Optional<LinkPartnerOptions.Peer> peer = partner.peer();
        Optional<LinkCommand> command = partner.command(dev.device);
        if (junit != null) {
            OutputFile.check("--junit", junit);
            OutputFile.distinct("--junit", junit, "--params", dev.params);
            OutputFile.distinct("--junit", junit, "--trace", dev.trace.file);
        }
        Optional<RemoveCommand> remove = Optional.ofNullable(removeCommand).map(c -> RemoveCommand.of(c, dev.device));
        Session s = dev.open();
        remove.ifPresent(r -> s.expectRemoval());
        ConformanceReport report = s.run(x -> ConformanceReport.run(x, checks,
                LinkPartnerOptions.partner(x, peer, command), remove.map(r -> remover(x, r))));
        if (junit != null) {
            JUnitXml.write(junit, report);
        }
        dev.output.print(report);
        return s.finish(report.failure(), false);
    }

    /**
     * What takes the device off the bus: the command; on a simulated NIC then what pciehp does after the
     * attention button, 5 s and the remove that asks nicup for the device, so a bench script can be tried first.
     */
    static DeviceRemover remover(Session s, RemoveCommand command) {
        if (!s.isMock()) {
            return command;
        }
        return () -> {
            command.remove();
            s.pump(PCIEHP_DELAY);
            s.mock.removalRequest().raise();
        };
    }

    /** pciehp's wait between the attention button and the removal (docs/hardware-reference.md A.10). */
    static final java.time.Duration PCIEHP_DELAY = java.time.Duration.ofSeconds(5);

    private List<ConformanceCheck> selected() {
        try {
            return ConformanceBattery.select(only);
        } catch (ConformanceBattery.UnknownCheckException e) {
            throw new CliException(ExitCode.USAGE, "unknown conformance check: " + String.join(",", e.unknown()),
                    "pick from " + String.join(", ", ConformanceBattery.names()));
        }
    }
}
