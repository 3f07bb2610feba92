package io.nicup.vfio.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parts of procfs this package reads, under a root that defaults to {@code /proc} and can be a fake
 * tree: the process's credentials ({@code self/status}), who holds a file open ({@code <pid>/fd/*}),
 * network tables ({@code net/route}, {@code net/if_inet6}, {@code net/fib_trie}) and {@code meminfo}.
 */
public final class Procfs {

    /** {@code CAP_IPC_LOCK} (linux/capability.h): pinned memory is not charged to RLIMIT_MEMLOCK. */
    public static final int CAP_IPC_LOCK = 14;
    /** {@code CAP_SYS_ADMIN} (linux/capability.h). */
    public static final int CAP_SYS_ADMIN = 21;

    private final Path root;

    public Procfs(Path root) {
        this.root = root;
    }

    public static Procfs system() {
        return new Procfs(Path.of("/proc"));
    }

    public Path root() {
        return root;
    }

    /** The lines of a file under the root ({@code "net/route"}), empty when it cannot be read. */
    public List<String> lines(String relative) {
        try {
            return Files.readAllLines(root.resolve(relative));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** A field of {@code self/status}, e.g. {@code "Uid"} gives {@code "0\t0\t0\t0"}. */
    public Optional<String> status(String field) {
        for (String line : lines("self/status")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equals(field)) {
                return Optional.of(line.substring(colon + 1).strip());
            }
        }
        return Optional.empty();
    }

    /** The effective user id (second field of {@code Uid:}); empty when unknown. */
    public OptionalLong effectiveUid() {
        return status("Uid").map(s -> {
            String[] f = s.split("\\s+");
            try {
                return f.length > 1 ? OptionalLong.of(Long.parseLong(f[1])) : OptionalLong.empty();
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }).orElse(OptionalLong.empty());
    }

    public boolean isRoot() {
        OptionalLong uid = effectiveUid();
        return uid.isPresent() && uid.getAsLong() == 0;
    }

    /** Whether the effective capability set ({@code CapEff:}) holds capability number {@code cap}. */
    public boolean hasCapability(int cap) {
        return status("CapEff").map(s -> {
            try {
                return (Long.parseUnsignedLong(s, 16) & (1L << cap)) != 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }).orElse(false);
    }

    /** Whether process {@code pid} exists. */
    public boolean alive(long pid) {
        return Files.isDirectory(root.resolve(Long.toString(pid)));
    }

    /** A process's command name ({@code <pid>/comm}). */
    public Optional<String> command(long pid) {
        return Sysfs.read(root.resolve(Long.toString(pid)).resolve("comm"));
    }

    /**
     * The processes that have {@code file} open, found by reading the {@code <pid>/fd/*} links this
     * process is allowed to read (all of them as root). Best effort: unreadable processes are skipped.
     */
    public List<Long> pidsHolding(Path file) {
        String wanted = file.toString();
        List<Long> out = new ArrayList<>();
        for (Path p : Sysfs.list(root)) {
            String name = p.getFileName().toString();
            if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                continue;
            }
            for (Path fd : Sysfs.list(p.resolve("fd"))) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(wanted)) {
                        out.add(Long.parseLong(name));
                        break;
                    }
                } catch (IOException | RuntimeException e) {
                    // not ours to read, or gone meanwhile
                }
            }
        }
        return out;
    }

    /** A {@code meminfo} value in kB (e.g. {@code "HugePages_Free"} gives a count, not kB). */
    public OptionalLong meminfo(String key) {
        for (String line : lines("meminfo")) {
            if (line.startsWith(key + ":")) {
                String[] f = line.substring(key.length() + 1).strip().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(f[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
