package io.nicup.vfio.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The kernel network interfaces that hang below one PCI function in sysfs, wherever the bus in between
 * puts them. A driver that registers its netdev on the PCI device itself has it at
 * {@code <function>/net/<if>} (e1000e, igb); a driver on a bus below the function has it one level
 * deeper or more: virtio-net at {@code <function>/virtioN/net/<if>}, a USB NIC behind an xHCI controller
 * at {@code <function>/usbN/<port>/<interface>/net/<if>}. The kernel puts a device's {@code net/} class
 * directory inside the device's own directory (drivers/base/core.c, get_device_parent), so walking the
 * function's subtree for {@code net/} directories finds every interface whose device lives on that
 * function, for any bus.
 *
 * <p>The walk follows no symbolic link ({@code driver}, {@code iommu_group}, {@code subsystem},
 * {@code firmware_node} all point out of the subtree, and some back into it), does not enter a
 * downstream PCI function's directory (a bridge's children are functions of their own, listed and checked
 * on their own) and stops at {@link #MAX_DEPTH} levels, so a strange tree cannot make it run long.
 */
final class FunctionInterfaces {

    /**
     * How deep below the function a {@code net/} directory is looked for: 1 for {@code net/} itself, 2 for
     * virtio, 4 for a USB NIC behind a host controller ({@code usb1/1-1/1-1:1.0/net}); 6 leaves room for a
     * hub in between.
     */
    static final int MAX_DEPTH = 6;

    /** A downstream function's directory name, {@code DDDD:BB:DD.F} as the kernel writes it. */
    private static final Pattern PCI_FUNCTION_DIR = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    private FunctionInterfaces() {
    }

    /** The interface names below {@code functionDir}, sorted; empty when it has none or cannot be read. */
    static List<String> find(Path functionDir) {
        Path start;
        try {
            start = functionDir.toRealPath();   // /sys/bus/pci/devices/<BDF> is a link into /sys/devices
        } catch (IOException e) {
            return List.of();
        }
        TreeSet<String> out = new TreeSet<>();
        walk(start, 1, out);
        return new ArrayList<>(out);
    }

    private static void walk(Path dir, int depth, TreeSet<String> out) {
        for (Path child : directories(dir)) {
            String name = child.getFileName().toString();
            if (name.equals("net")) {
                for (Path iface : entries(child)) {
                    out.add(iface.getFileName().toString());
                }
            } else if (depth < MAX_DEPTH && !isPciFunction(name)) {
                walk(child, depth + 1, out);
            }
        }
    }

    private static boolean isPciFunction(String name) {
        return PCI_FUNCTION_DIR.matcher(name).matches();
    }

    /** The sub-directories of {@code dir}, symbolic links left out. */
    private static List<Path> directories(Path dir) {
        List<Path> out = new ArrayList<>();
        for (Path p : entries(dir)) {
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<Path> entries(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        } catch (IOException | RuntimeException e) {
            return List.of();   // a directory that vanished (hot unplug) or is unreadable has no interfaces
        }
        return out;
    }
}
