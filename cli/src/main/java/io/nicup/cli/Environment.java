package io.nicup.cli;

import io.nicup.vfio.linux.LinuxHost;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the commands act on: the Linux host (sysfs, /dev/vfio, the state directory) and the PCI ID
 * database. Tests substitute a fake machine.
 */
public record Environment(Supplier<LinuxHost> host, PciIds pciIds) {

    /** The real machine, with the system's pci.ids when present. */
    public static Environment system() {
        return new Environment(LinuxHost::system, PciIds.load(List.of(Path.of("/usr/share/misc/pci.ids"),
                Path.of("/usr/share/hwdata/pci.ids"), Path.of("/usr/share/pci.ids"))));
    }
}
