package io.nicup.cli;

import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NvmImage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "nvm",
        header = "Dump the NVM (EEPROM) with its checksum, MAC address and versions (like ethtool -e and -i).",
        description = {
            "Initializes the adapter, prints the driver, version, firmware-version (decoded from the NVM as the",
            "Linux driver does) and bus-info, reads NVM words 0x00-0x3F through EERD and prints them as",
            "ethtool -e does, the MAC address words and the checksum: valid when the words sum to 0xBABA, else",
            "INVALID with the sum and exit 9. An image whose checksum made MiniportInitializeEx fail is still",
            "printed (the words the driver read and refused). Then halts and unloads. A device without an NVM",
            "(virtio-net) exits 4 (not supported)."},
        footerHeading = "%nExamples:%n",
        footer = {"  nicup nvm 0000:01:00.0", "  nicup --json nvm mock:82576"})
final class NvmCommand implements Callable<Integer> {

    @Mixin
    DeviceOptions dev;

    @Override
    public Integer call() {
        Session s = dev.open();
        NvmReport report = s.run(NvmCommand::read);
        dev.output.print(report);
        return s.finish(report.failure(s.isMock()), false);
    }

    private static NvmReport read(Session s) {
        try {
            s.initialize();
        } catch (CliException e) {
            NvmImage refused = s.adapter == null ? null : s.driver.nvmAtInitFailure(s.adapter).orElse(null);
            if (refused == null) {
                throw e;
            }
            String why = s.driver.initFailure(s.adapter).map(InitFailure::detail).orElse(e.getMessage());
            return new NvmReport(s.spec, DriverInfo.of(s, refused.firmwareVersion()), refused, why);
        }
        var diagnostics = s.diagnostics();
        NvmImage image = Diagnostics.read(s, diagnostics::nvm).orElseThrow(() -> new CliException(
                ExitCode.NOT_SUPPORTED, "device has no NVM: model=" + s.family.model() + " spec=" + s.spec,
                "a " + s.family.model() + " keeps its MAC address and configuration in the device itself:"
                        + " nicup info and nicup regs show them"));
        return new NvmReport(s.spec, DriverInfo.of(s, image.firmwareVersion()), image, null);
    }
}
