package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Hands an IOMMU group's node {@code /dev/vfio/N} to an unprivileged user and back, as dpdk-devbind's
 * {@code --uid} does: the user can then open the group and drive the device without root, given enough
 * locked memory. The owner the node had before is kept in the state directory ({@code group-N.owner})
 * so that {@code unbind --restore}, in any later process, gives it back.
 *
 * <p>Users are looked up in the machine's {@code etc/passwd} (the directory next to {@code dev}), so a
 * test machine in a temporary directory brings its own.
 */
public final class GroupOwnership {

    /** A login: name, uid and primary gid from passwd. */
    public record User(String name, int uid, int gid) {
    }

    private final LinuxHost host;

    public GroupOwnership(LinuxHost host) {
        this.host = host;
    }

    /** The machine's passwd file: {@code /etc/passwd} on the real machine. */
    public Path passwd() {
        Path root = host.devRoot().toAbsolutePath().getParent();
        return (root == null ? Path.of("/") : root).resolve("etc/passwd");
    }

    /** {@code name} (or a numeric uid) from passwd; an unknown user is a usage error that changes nothing. */
    public User lookup(String name) {
        String text;
        try {
            text = Files.readString(passwd(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.SYSTEM, "cannot read " + passwd() + ": error=" + e, "check the file");
        }
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 4) {
                continue;
            }
            if (f[0].equals(name) || f[2].equals(name)) {
                try {
                    return new User(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "no such user: user=" + name + " passwd=" + passwd(),
                "give an existing login name or uid (getent passwd NAME)");
    }

    /** Gives {@code /dev/vfio/<group>} to {@code user} (owner and group), recording the previous owner once. */
    public void handOver(int group, User user) {
        Path node = host.groupPath(group);
        if (!Files.exists(node)) {
            throw new DeviceAccessException(Reason.VFIO_SETUP, "no group node: node=" + node,
                    "bind the device first (nicup bind BDF)");
        }
        Path record = record(group);
        try {
            if (!Files.exists(record)) {   // a second hand-over keeps the original owner
                int uid = (Integer) Files.getAttribute(node, "unix:uid");
                int gid = (Integer) Files.getAttribute(node, "unix:gid");
                StateStore.ensureDir(host.stateDir());
                Files.writeString(record, uid + " " + gid + " " + user.name() + "\n", StandardCharsets.UTF_8);
            }
            Files.setAttribute(node, "unix:uid", user.uid());
            Files.setAttribute(node, "unix:gid", user.gid());
        } catch (java.nio.file.FileSystemException e) {
            throw new DeviceAccessException(Reason.PERMISSION, "cannot hand " + node + " to " + user.name() + ": error="
                    + e.getMessage(), "run nicup bind --user as root");
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.SYSTEM, "cannot hand " + node + " to " + user.name() + ": error=" + e,
                    "check " + host.stateDir() + " and " + node);
        }
    }

    /** The user a group was handed to, if nicup handed it over. */
    public Optional<String> handedTo(int group) {
        return Sysfs.read(record(group)).map(t -> t.strip().split(" "))
                .filter(f -> f.length == 3).map(f -> f[2]);
    }

    /**
     * Gives the node back to the owner recorded by {@link #handOver} and forgets the record. Nothing to do
     * (empty) when nicup never handed it over; a node that is gone (device unbound) only loses its record.
     */
    public Optional<String> restore(int group) {
        Path record = record(group);
        Optional<String> text = Sysfs.read(record);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String[] f = text.get().strip().split(" ");
        Path node = host.groupPath(group);
        try {
            if (f.length == 3 && Files.exists(node)) {
                Files.setAttribute(node, "unix:uid", Integer.parseInt(f[0]));
                Files.setAttribute(node, "unix:gid", Integer.parseInt(f[1]));
            }
            Files.deleteIfExists(record);
        } catch (IOException | NumberFormatException e) {
            throw new DeviceAccessException(Reason.PERMISSION, "cannot give " + node + " back: error=" + e.getMessage(),
                    "run nicup unbind --restore as root");
        }
        return Optional.of(f.length == 3 ? f[2] + " -> uid " + f[0] : "unknown");
    }

    private Path record(int group) {
        return host.stateDir().resolve("group-" + group + ".owner");
    }
}
