package io.nicup.cli;

import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import io.nicup.vfio.PciDevice;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The catalog line whose miniport drives an opened device. Checked before a driver is loaded, so that a
 * device that no longer answers, or one nicup has no driver for, ends the open with a one-line error and
 * nothing loaded.
 */
final class DriverMatch {

    private DriverMatch() {
    }

    /** The entry for {@code device}, opened from {@code spec}: HARDWARE if it reads all-ones, NOT_SUPPORTED if none. */
    static MiniportCatalog.Entry of(PciDevice device, String spec) {
        if (device.identity().vendorId() == 0xFFFF) {
            // Config space reads all-ones: nothing answers at this address any more (PCI Local Bus
            // Specification 3.0, 6.2.1: 0xFFFF is never a valid vendor ID).
            throw new CliException(ExitCode.HARDWARE, "device reads all-ones: spec=" + spec
                    + " vendor_id=0xffff", "the device is gone (surprise removal, powered off or hung):"
                    + " check `nicup list` and the kernel log, then rescan or reseat it");
        }
        Optional<MiniportCatalog.Entry> entry = Miniports.CATALOG.find(device.identity());
        if (entry.isEmpty()) {
            throw new CliException(ExitCode.NOT_SUPPORTED, String.format("no driver for device %04x:%04x: spec=%s",
                    device.identity().vendorId(), device.identity().deviceId(), spec), "nicup drives "
                    + Miniports.CATALOG.entries().stream().map(MiniportCatalog.Entry::toString)
                            .collect(Collectors.joining(", ")));
        }
        return entry.get();
    }
}
