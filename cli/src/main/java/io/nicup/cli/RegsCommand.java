package io.nicup.cli;

import io.nicup.ndis.miniport.core.RegisterReading;
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

@Command(name = "regs",
        header = "Dump the device's important registers with decoded bitfields (like ethtool -d).",
        description = {
            "Brings the adapter up to Running (link up or not), reads CTRL, STATUS, EECD, RCTL, TCTL, IVAR,",
            "IMS, the ring registers, TARC, RAL/RAH and more, prints each with its offset, value and decoded",
            "fields, then pauses, halts and unloads. ICR is left out (reading it clears it)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup regs 0000:01:00.0", "  nicup --json regs mock:82574L"})
final class RegsCommand implements Callable<Integer> {

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
        List<RegisterReading> regs;
        try (Session s = Session.open(output.environment(), device, params, bindOption.take(output, device))) {
            s.initialize();
            s.restart(Session.DEFAULT_FILTER);
            s.awaitLink(java.time.Duration.ofSeconds(s.isMock() ? 2 : 5));
            regs = s.diagnostics().registerDump();
        }
        PrintWriter out = output.out();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("registers", regs.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("offset", String.format("0x%05X", r.offset()));
                m.put("value", String.format("0x%08X", r.value()));
                m.put("decoded", r.decoded());
                return m;
            }).toList());
            out.println(Json.write(doc));
        } else {
            regs.forEach(out::println);
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
