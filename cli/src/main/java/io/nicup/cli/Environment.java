package io.nicup.cli;

import io.nicup.vfio.linux.LinuxHost;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the commands act on: the Linux host (sysfs, /dev/vfio, the state directory), the PCI ID database,
 * and the binary standard input and output that {@code --pcap -} reads and writes. Tests substitute a
 * fake machine and streams of their own.
 */
public record Environment(Supplier<LinuxHost> host, PciIds pciIds, Supplier<InputStream> stdin,
        Supplier<OutputStream> stdout) {

    /** On the process's own standard input and output. */
    public Environment(Supplier<LinuxHost> host, PciIds pciIds) {
        this(host, pciIds, () -> System.in, () -> System.out);
    }

    /** The real machine, with the system's pci.ids when present. */
    public static Environment system() {
        return new Environment(LinuxHost::system, PciIds.load(List.of(Path.of("/usr/share/misc/pci.ids"),
                Path.of("/usr/share/hwdata/pci.ids"), Path.of("/usr/share/pci.ids"))));
    }
}
