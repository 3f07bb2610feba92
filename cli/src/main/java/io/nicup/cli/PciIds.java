package io.nicup.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Vendor and device names from the system's {@code pci.ids} (the file lspci uses; format described in
 * its header: a vendor line {@code vvvv  name}, device lines indented by one tab). Only the network
 * class's names matter to nicup, but the file is small enough to index whole.
 */
public final class PciIds {

    private final Map<Integer, String> vendors;
    private final Map<Integer, String> devices;

    private PciIds(Map<Integer, String> vendors, Map<Integer, String> devices) {
        this.vendors = vendors;
        this.devices = devices;
    }

    /** An empty database: names are unknown. */
    public static PciIds none() {
        return new PciIds(Map.of(), Map.of());
    }

    /** The first readable file of {@code candidates}, or an empty database. */
    public static PciIds load(List<Path> candidates) {
        for (Path p : candidates) {
            if (Files.isReadable(p)) {
                try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.ISO_8859_1)) {
                    return parse(r);
                } catch (IOException | RuntimeException e) {
                    return none();
                }
            }
        }
        return none();
    }

    static PciIds parse(BufferedReader r) throws IOException {
        Map<Integer, String> vendors = new HashMap<>();
        Map<Integer, String> devices = new HashMap<>();
        int vendor = -1;
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            if (line.startsWith("C ")) {
                break; // the class list follows the vendors
            }
            if (line.charAt(0) != '\t') {
                vendor = hex4(line, 0);
                if (vendor >= 0 && line.length() > 6) {
                    vendors.put(vendor, line.substring(6).trim());
                }
            } else if (line.length() > 7 && line.charAt(1) != '\t' && vendor >= 0) {
                int device = hex4(line, 1);
                if (device >= 0) {
                    devices.put((vendor << 16) | device, line.substring(7).trim());
                }
            }
        }
        return new PciIds(vendors, devices);
    }

    private static int hex4(String s, int at) {
        if (s.length() < at + 4) {
            return -1;
        }
        try {
            return Integer.parseInt(s.substring(at, at + 4), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public Optional<String> vendor(int vendorId) {
        return Optional.ofNullable(vendors.get(vendorId));
    }

    public Optional<String> device(int vendorId, int deviceId) {
        return Optional.ofNullable(devices.get((vendorId << 16) | deviceId));
    }

    /** "Intel Corporation 82574L Gigabit Network Connection", or the IDs when unknown. */
    public String name(int vendorId, int deviceId) {
        String v = vendor(vendorId).orElse(String.format("vendor %04x", vendorId));
        String d = device(vendorId, deviceId).orElse(String.format("device %04x", deviceId));
        return v + " " + d;
    }
}
