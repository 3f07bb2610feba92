package io.nicup.cli;

import io.nicup.ndis.conformance.ConformanceTarget;
import io.nicup.ndis.conformance.RssSpread;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rss",
        header = "Send frames of many flows to the NIC and show how RSS spreads them over its receive queues.",
        description = {
            "Brings the adapter up, turns receive-side scaling on (Microsoft's verification key, every hash type the",
            "NIC announces, a round-robin indirection table over --queues queues), sends one frame of each of",
            "--flows TCP and UDP flows over IPv4 and IPv6 to the NIC (a simulated NIC's wire; on real hardware",
            "--peer reflect, as the rss conformance check does) and prints one row per queue: the frames it",
            "indicated, their share, the frames the software Toeplitz and the table send there, and the frames on",
            "it that belong to another queue; then a verdict. PASS needs every frame received with the reference's",
            "hash, on the queue the table names, and every queue the table names for some flow reached. Exit 9 on",
            "FAIL, 4 when the NIC announces no RSS (or no frames can reach it), 2 when --queues is more than the",
            "adapter's receive queues (docs/ndis-contract.md §21)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup rss mock:82576",
            "  nicup rss mock:82576 --flows 256 --queues 2",
            "  nicup rss 0000:01:00.0 --peer reflect --flows 64",
            "  nicup --json rss mock:82576"})
final class RssCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Option(names = "--flows", paramLabel = "N", defaultValue = "64",
            description = "Flows to send, one frame each (1..4096; default ${DEFAULT-VALUE}).")
    int flows;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "0",
            description = "Spread over the first N receive queues (1..the adapter's; default: all it announces).")
    int queues;

    @Mixin
    LinkPartnerOptions partner;

    @Override
    public Integer call() {
        if (flows < 1 || flows > 4096) {
            throw new CliException(ExitCode.USAGE, "invalid --flows: " + flows, "give 1 to 4096 flows");
        }
        if (queues < 0 || queues > 16) {
            throw new CliException(ExitCode.USAGE, "invalid --queues: " + queues, "give 1 to the adapter's receive"
                    + " queues (at most 16), or leave it out for all of them");
        }
        Optional<LinkPartnerOptions.Peer> peer = partner.peer();
        Optional<LinkCommand> command = partner.command(dev.device);
        Session s = dev.open();
        RssReport report = s.run(x -> {
            ConformanceTarget target = ConformanceReport.target(x, LinkPartnerOptions.partner(x, peer, command));
            try {
                return new RssReport(x.spec, RssSpread.run(target, flows, queues));
            } catch (RssSpread.NotMeasured e) {
                throw e.unsupported()
                        ? new CliException(ExitCode.NOT_SUPPORTED, "rss not measured: " + e.getMessage() + " device="
                                + x.spec, "use a NIC whose miniport announces RSS; on real hardware add --peer reflect")
                        : new CliException(ExitCode.USAGE, "invalid --queues: " + e.getMessage(),
                                "lower --queues, or leave it out for all the adapter's receive queues");
            }
        });
        dev.output.print(report);
        return s.finish(report.failure(), false);
    }
}
