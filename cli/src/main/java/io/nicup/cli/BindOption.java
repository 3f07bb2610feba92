package io.nicup.cli;

import picocli.CommandLine.Option;

/** {@code --bind} for the commands that open a device (see {@link RunBinding}). */
final class BindOption {

    @Option(names = "--bind", description = "Put DEVICE on vfio-pci for this run if it is not, and give it back to its"
            + " driver when the run ends (also after an error or Ctrl-C).")
    boolean bind;

    /** Binds now when asked to; the session that is opened next owns the result. */
    RunBinding take(Output output, String device) {
        return RunBinding.take(output, device, bind);
    }
}
