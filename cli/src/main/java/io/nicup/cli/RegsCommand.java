package io.nicup.cli;

import io.nicup.ndis.miniport.core.RegisterReading;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
    DeviceOptions dev;

    /** The register dump, in the family's order. */
    record Report(String device, List<RegisterReading> registers) implements io.nicup.cli.Report {

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("registers", registers.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("offset", String.format("0x%05X", r.offset()));
                m.put("value", String.format("0x%08X", r.value()));
                m.put("decoded", r.decoded());
                return m;
            }).toList());
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            return registers.stream().map(String::valueOf).toList();
        }
    }

    @Override
    public Integer call() {
        Session s = dev.open();
        Report report = s.run(x -> {
            x.initialize();
            x.restart(Session.DEFAULT_FILTER);
            x.awaitLink(java.time.Duration.ofSeconds(x.isMock() ? 2 : 5));
            return new Report(x.spec, x.diagnostics().registerDump());
        });
        dev.output.print(report);
        return s.finish(null, false);
    }
}
