package io.nicup.vfio;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function address, {@code DDDD:BB:DD.F} (domain, bus, device, function), as sysfs and
 * {@code lspci -D} print it. The short form {@code BB:DD.F} means domain 0.
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {

    private static final Pattern FORM =
            Pattern.compile("(?:([0-9a-fA-F]{4}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    public PciAddress {
        if (domain < 0 || domain > 0xFFFF || bus < 0 || bus > 0xFF || device < 0 || device > 0x1F
                || function < 0 || function > 7) {
            throw new DeviceAccessException(DeviceAccessException.Reason.INVALID_ARGUMENT,
                    "PCI address out of range: domain=" + domain + " bus=" + bus + " device=" + device
                            + " function=" + function,
                    "use the form DDDD:BB:DD.F with device 00-1f and function 0-7, as `nicup list` prints it");
        }
    }

    /** Parses {@code 0000:01:00.0} or {@code 01:00.0}; anything else is an INVALID_ARGUMENT error. */
    public static PciAddress parse(String text) {
        if (text == null || text.length() > 12) {
            throw malformed(text);
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw malformed(text);
        }
        int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
        return new PciAddress(domain, Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16),
                Integer.parseInt(m.group(4)));
    }

    private static DeviceAccessException malformed(String text) {
        String shown = text == null ? "null" : text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return new DeviceAccessException(DeviceAccessException.Reason.INVALID_ARGUMENT,
                "malformed PCI address '" + shown + "'",
                "use the form DDDD:BB:DD.F (e.g. 0000:01:00.0), as `nicup list` prints it");
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, device, function);
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(key(), o.key());
    }

    private long key() {
        return ((long) domain << 16) | (bus << 8) | (device << 3) | function;
    }
}
