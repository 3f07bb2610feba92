package io.nicup.cli;

import io.nicup.ndis.miniport.core.DiagnosticsException;
import java.util.function.Supplier;

/** A diagnostic read through the miniport: a device that does not answer as documented is a hardware failure. */
final class Diagnostics {

    private Diagnostics() {
    }

    static <T> T read(Session s, Supplier<T> read) {
        try {
            return read.get();
        } catch (DiagnosticsException e) {
            throw new CliException(ExitCode.HARDWARE, "diagnostic read failed: " + e.getMessage() + " spec=" + s.spec,
                    s.isMock() ? "the simulated NIC's fault did this: mock-device/README.md says what each fault does"
                            : "check the device (nicup info) and the kernel log, then reset it (nicup unbind --restore,"
                            + " then nicup bind)");
        }
    }
}
