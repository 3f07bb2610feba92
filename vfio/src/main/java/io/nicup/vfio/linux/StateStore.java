package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bind records in the state directory, one small JSON file per device:
 * {@code <stateDir>/<BDF>.json} holding
 * {@code {"bdf":"0000:01:00.0","original_driver":"e1000e","original_driver_override":null,"pid":4242,
 * "bound_at":"2026-01-01T00:00:00Z"}}. Written atomically (temporary file, then rename).
 */
public final class StateStore {

    private static final Pattern FIELD = Pattern.compile("\"([a-z_]+)\"\\s*:\\s*(null|-?[0-9]+|\"((?:[^\"\\\\]|\\\\.)*)\")");

    private final Path dir;

    public StateStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path file(PciAddress address) {
        return dir.resolve(address + ".json");
    }

    public void save(BindRecord r) {
        String json = "{\"bdf\":\"" + r.address() + "\",\"original_driver\":" + quote(r.originalDriver())
                + ",\"original_driver_override\":" + quote(r.originalOverride()) + ",\"pid\":" + r.pid()
                + ",\"bound_at\":\"" + r.boundAt() + "\"}\n";
        try {
            ensureDir(dir);
            Path tmp = dir.resolve(r.address() + ".json.tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            Files.move(tmp, file(r.address()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.SYSTEM, "cannot write bind record: file=" + file(r.address())
                    + " error=" + e, "make " + dir + " writable or set " + LinuxHost.STATE_DIR_ENV
                    + " to a writable directory", e);
        }
    }

    /** The record for {@code address}, empty when there is none or it cannot be parsed. */
    public Optional<BindRecord> load(PciAddress address) {
        Optional<String> text = Sysfs.read(file(address));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String driver = null;
        String override = null;
        long pid = -1;
        Instant at = Instant.EPOCH;
        PciAddress bdf = null;
        Matcher m = FIELD.matcher(text.get());
        while (m.find()) {
            String key = m.group(1);
            String value = m.group(3) != null ? unescape(m.group(3)) : m.group(2).equals("null") ? null : m.group(2);
            try {
                switch (key) {
                    case "bdf" -> bdf = value == null ? null : PciAddress.parse(value);
                    case "original_driver" -> driver = value;
                    case "original_driver_override" -> override = value;
                    case "pid" -> pid = value == null ? -1 : Long.parseLong(value);
                    case "bound_at" -> at = value == null ? Instant.EPOCH : Instant.parse(value);
                    default -> {
                    }
                }
            } catch (DateTimeParseException | NumberFormatException | DeviceAccessException e) {
                // a damaged field keeps its default
            }
        }
        if (bdf == null || !bdf.equals(address)) {
            return Optional.empty();
        }
        return Optional.of(new BindRecord(address, Optional.ofNullable(driver), Optional.ofNullable(override), pid, at));
    }

    public void delete(PciAddress address) {
        try {
            Files.deleteIfExists(file(address));
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.SYSTEM, "cannot delete bind record: file=" + file(address)
                    + " error=" + e, "delete it by hand", e);
        }
    }

    static void ensureDir(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new DeviceAccessException(Reason.PERMISSION, "cannot create state directory: dir=" + dir,
                    "run as root or set " + LinuxHost.STATE_DIR_ENV + " to a writable directory", e);
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.SYSTEM, "cannot create state directory: dir=" + dir + " error=" + e,
                    "set " + LinuxHost.STATE_DIR_ENV + " to a writable directory", e);
        }
    }

    private static String quote(Optional<String> s) {
        if (s.isEmpty()) {
            return "null";
        }
        return "\"" + s.get().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
