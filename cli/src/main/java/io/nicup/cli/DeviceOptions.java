package io.nicup.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Mixed into every command that brings an adapter up: DEVICE, {@code --params}, {@code --bind},
 * {@code --trace}, {@code --help}, and where to print ({@link Output}). {@link #open} gives the session
 * they describe.
 */
@CommandLine.Command
final class DeviceOptions {

    @Mixin
    Output output;

    @Mixin
    BindOption bindOption;

    @Mixin
    TraceOption trace;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Parameters(paramLabel = "DEVICE", description = "PCI address on vfio-pci, or mock:MODEL.")
    String device;

    @Option(names = "--params", paramLabel = "FILE", description = "Parameter file (KEYWORD = VALUE, e.g. *JumboPacket = 9014).")
    Path params;

    /**
     * Opens DEVICE (bound to vfio-pci for this run under --bind) and loads its driver with --params; --trace
     * is checked first and written when the session closes.
     */
    Session open() {
        trace.check(params);
        Session s = SessionOpener.open(output.environment(), device, params, bindOption.take(output, device));
        s.onParameterWarning(output::warn);
        s.onClosed(trace::write);
        return s;
    }
}
