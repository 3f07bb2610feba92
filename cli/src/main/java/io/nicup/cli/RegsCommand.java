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
            "fields, then pauses, halts and unloads. ICR is left out (reading it clears it).",
            "Starts with the driver, version, firmware-version and bus-info (as ethtool -i shows them), and ends",
            "with the PHY registers the driver reads over MDIC (BMCR, BMSR, PHYSID1/2, ANAR, ANLPAR, ANER,",
            "CTRL1000, STAT1000) by their IEEE 802.3 bit names and what the link partner advertised (link modes,",
            "pause). A device without a PHY (virtio-net) says so in one line."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup regs 0000:01:00.0", "  nicup --json regs mock:82574L"})
final class RegsCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    /** The register dump, in the family's order, between the driver's identity and the PHY. */
    record Report(String device, DriverInfo info, List<RegisterReading> registers, PhySection phy)
            implements io.nicup.cli.Report {

        @Override
        public Map<String, Object> json() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("device", device);
            doc.put("driver_info", info.json());
            doc.put("registers", registers.stream().map(r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("offset", String.format("0x%05X", r.offset()));
                m.put("value", String.format("0x%08X", r.value()));
                m.put("decoded", r.decoded());
                return m;
            }).toList());
            doc.put("phy", phy.json());
            return doc;
        }

        @Override
        public List<String> lines(boolean quiet) {
            List<String> lines = new java.util.ArrayList<>(info.lines());
            registers.stream().map(String::valueOf).forEach(lines::add);
            lines.addAll(phy.lines());
            return lines;
        }
    }

    @Override
    public Integer call() {
        Session s = dev.open();
        Report report = s.run(x -> {
            x.initialize();
            x.restart(Session.DEFAULT_FILTER);
            x.awaitLink(java.time.Duration.ofSeconds(x.isMock() ? 2 : 5));
            var d = x.diagnostics();
            return Diagnostics.read(x, () -> new Report(x.spec, DriverInfo.of(x, d.firmwareVersion()), d.registerDump(),
                    d.phy().map(p -> new PhySection(p, null)).orElseGet(() -> new PhySection(null, x.family.model()
                            + " has no PHY: the link state is the device's own (its configuration status)"))));
        });
        dev.output.print(report);
        return s.finish(null, false);
    }
}
