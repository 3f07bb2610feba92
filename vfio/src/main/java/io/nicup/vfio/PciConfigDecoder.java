package io.nicup.vfio;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a function's configuration space the way {@code lspci -vv} does, into ordered maps for
 * display and JSON: header fields, command/status bits, the capability list and the PCI Express
 * extended capabilities. Offsets and bit meanings: PCI Local Bus Specification 3.0 section 6 (header,
 * capability list at 0x34), PCI Express Base Specification 4.0 sections 7.5-7.9 (PCIe, MSI-X and
 * extended capability registers).
 *
 * <p>What the device says is not trusted: a config space that reads all-ones (nothing answers at the
 * address) is an error, not a decode, and a capability chain that loops, points into the header or out
 * of the config space is cut there with a line in {@code warnings}, so the walk ends after at most one
 * visit of each dword.
 */
public final class PciConfigDecoder {

    /** Capability IDs (PCI Code and ID Assignment Specification, section 2). */
    private static final Map<Integer, String> CAPABILITY_NAMES = Map.ofEntries(
            Map.entry(0x01, "Power Management"), Map.entry(0x03, "VPD"), Map.entry(0x05, "MSI"),
            Map.entry(0x09, "Vendor Specific"), Map.entry(0x0D, "Bridge Subsystem Vendor ID"),
            Map.entry(0x10, "PCI Express"), Map.entry(0x11, "MSI-X"), Map.entry(0x12, "SATA"),
            Map.entry(0x13, "Advanced Features"), Map.entry(0x14, "Enhanced Allocation"));

    /** Extended capability IDs (same document, section 3). */
    private static final Map<Integer, String> EXTENDED_NAMES = Map.ofEntries(
            Map.entry(0x0001, "Advanced Error Reporting"), Map.entry(0x0002, "Virtual Channel"),
            Map.entry(0x0003, "Device Serial Number"), Map.entry(0x0004, "Power Budgeting"),
            Map.entry(0x000B, "Vendor Specific"), Map.entry(0x000D, "Access Control Services"),
            Map.entry(0x000E, "Alternative Routing-ID"), Map.entry(0x000F, "Address Translation Services"),
            Map.entry(0x0010, "SR-IOV"), Map.entry(0x0017, "TPH Requester"), Map.entry(0x0018, "Latency Tolerance"),
            Map.entry(0x0019, "Secondary PCI Express"), Map.entry(0x001E, "L1 PM Substates"));

    /** Where the capability list may start: after the 64-byte header (PCI 3.0, 6.7). */
    private static final int FIRST_CAPABILITY = 0x40;
    /** Where the extended capability list starts and the conventional space ends (PCIe 4.0, 7.6). */
    private static final int EXTENDED_START = 0x100;

    /** How many bytes each decoded capability reads from its offset: a body past the end is not decoded. */
    private static final Map<Integer, Integer> CAPABILITY_LENGTHS = Map.of(0x01, 6, 0x05, 4,
            0x10, PciExpressDecoder.PCIE_LENGTH, 0x11, 12, 0x09, 20);

    private PciConfigDecoder() {
    }

    /**
     * The whole decode: header, command, status, capabilities, extended capabilities and the warnings
     * about what could not be decoded.
     *
     * @throws DeviceAccessException {@code HARDWARE} when the config space reads all-ones (vendor ID
     *     0xffff, which no device has: PCI 3.0, 6.2.1): the device is not responding or was removed
     */
    public static Map<String, Object> decode(ConfigSpace cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        int vendor = cfg.read16(0x00);
        if (vendor == 0xFFFF) {
            throw new DeviceAccessException(DeviceAccessException.Reason.HARDWARE,
                    "device reads all-ones: vendor_id=0xffff device_id=0x" + hex4(cfg.read16(0x02)),
                    "the device is not responding or was removed (surprise removal, powered off, hung):"
                            + " check `lspci` and the kernel log (dmesg), then rescan or reseat it");
        }
        int device = cfg.read16(0x02);
        m.put("vendor_id", hex4(vendor));
        m.put("device_id", hex4(device));
        m.put("subsystem", hex4(cfg.read16(0x2C)) + ":" + hex4(cfg.read16(0x2E)));
        m.put("class", String.format("%06x", cfg.read32(0x08) >>> 8));
        m.put("revision", String.format("%02x", cfg.read8(0x08)));
        m.put("header_type", String.format("%02x", cfg.read8(0x0E) & 0x7F));
        m.put("command", command(cfg.read16(0x04)));
        int status = cfg.read16(0x06);
        m.put("status", status(status));
        m.put("interrupt_pin", cfg.read8(0x3D) == 0 ? "none" : String.valueOf((char) ('A' + cfg.read8(0x3D) - 1)));
        List<String> warnings = new ArrayList<>();
        if (cfg.size() < EXTENDED_START) {
            // The kernel shows an unprivileged reader only the header of a function's config space.
            warnings.add("only " + cfg.size() + " of 256 bytes of config space are readable (the kernel shows"
                    + " the rest to root only): capabilities not decoded");
            m.put("capabilities", List.of());
            m.put("extended_capabilities", List.of());
        } else {
            m.put("capabilities", (status & 0x10) != 0 ? capabilities(cfg, warnings) : List.of());
            m.put("extended_capabilities",
                    cfg.size() >= EXTENDED_START + 4 ? extendedCapabilities(cfg, warnings) : List.of());
        }
        m.put("warnings", warnings);
        return m;
    }

    static Map<String, Object> command(int c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", hex4(c));
        m.put("io_space", (c & 0x1) != 0);
        m.put("memory_space", (c & 0x2) != 0);
        m.put("bus_master", (c & 0x4) != 0);
        m.put("parity_error_response", (c & 0x40) != 0);
        m.put("serr", (c & 0x100) != 0);
        m.put("intx_disable", (c & 0x400) != 0);
        return m;
    }

    static Map<String, Object> status(int s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", hex4(s));
        m.put("interrupt_status", (s & 0x8) != 0);
        m.put("capabilities_list", (s & 0x10) != 0);
        m.put("master_abort_received", (s & 0x2000) != 0);
        m.put("system_error_signalled", (s & 0x4000) != 0);
        m.put("parity_error_detected", (s & 0x8000) != 0);
        return m;
    }

    /** The capability list from the pointer at 0x34; {@code warnings} says where and why it was cut. */
    static List<Map<String, Object>> capabilities(ConfigSpace cfg, List<String> warnings) {
        List<Map<String, Object>> caps = new ArrayList<>();
        Set<Integer> visited = new HashSet<>();
        int from = 0x34;
        int ptr = cfg.read8(from) & 0xFC;
        while (ptr != 0) {
            if (ptr < FIRST_CAPABILITY) {
                warnings.add(String.format("capability chain cut: the pointer at 0x%02x points into the header"
                        + " (0x%02x)", from, ptr));
                break;
            }
            if (!visited.add(ptr)) {
                warnings.add(String.format("capability chain cut: the pointer at 0x%02x loops back to 0x%02x",
                        from, ptr));
                break;
            }
            int id = cfg.read8(ptr);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("offset", hex2(ptr));
            c.put("id", hex2(id));
            c.put("name", CAPABILITY_NAMES.getOrDefault(id, "Unknown"));
            if (ptr + CAPABILITY_LENGTHS.getOrDefault(id, 2) > EXTENDED_START) {
                warnings.add(String.format("capability %s at 0x%02x runs past the end of the 256-byte space:"
                        + " not decoded", c.get("name"), ptr));
            } else {
                switch (id) {
                    case 0x01 -> powerManagement(cfg, ptr, c);
                    case 0x05 -> msi(cfg, ptr, c);
                    case 0x10 -> PciExpressDecoder.pciExpress(cfg, ptr, c);
                    case 0x11 -> msix(cfg, ptr, c);
                    case 0x09 -> {
                        if (cfg.read16(0x00) == 0x1AF4) {
                            virtio(cfg, ptr, c);
                        }
                    }
                    default -> { }
                }
            }
            caps.add(c);
            from = ptr + 1;
            ptr = cfg.read8(from) & 0xFC;
        }
        return caps;
    }

    private static void powerManagement(ConfigSpace cfg, int p, Map<String, Object> c) {
        int pmc = cfg.read16(p + 2);
        int pmcsr = cfg.read16(p + 4);
        c.put("version", pmc & 0x7);
        c.put("d1", (pmc & 0x200) != 0);
        c.put("d2", (pmc & 0x400) != 0);
        c.put("power_state", "D" + (pmcsr & 0x3));
        c.put("no_soft_reset", (pmcsr & 0x8) != 0);
    }

    private static void msi(ConfigSpace cfg, int p, Map<String, Object> c) {
        int ctl = cfg.read16(p + 2);
        c.put("enabled", (ctl & 0x1) != 0);
        c.put("vectors_capable", 1 << ((ctl >>> 1) & 0x7));
        c.put("vectors_enabled", 1 << ((ctl >>> 4) & 0x7));
        c.put("address_64bit", (ctl & 0x80) != 0);
        c.put("per_vector_masking", (ctl & 0x100) != 0);
    }

    private static void msix(ConfigSpace cfg, int p, Map<String, Object> c) {
        int ctl = cfg.read16(p + 2);
        int table = cfg.read32(p + 4);
        int pba = cfg.read32(p + 8);
        c.put("enabled", (ctl & 0x8000) != 0);
        c.put("function_mask", (ctl & 0x4000) != 0);
        c.put("table_size", (ctl & 0x7FF) + 1);
        c.put("table", "BAR" + (table & 0x7) + "+0x" + Integer.toHexString(table & ~0x7));
        c.put("pba", "BAR" + (pba & 0x7) + "+0x" + Integer.toHexString(pba & ~0x7));
    }

    /** {@code struct virtio_pci_cap} of a virtio function (virtio 1.2, 4.1.4): which structure, where. */
    private static void virtio(ConfigSpace cfg, int p, Map<String, Object> c) {
        int type = cfg.read8(p + 3);
        c.put("virtio", switch (type) {
            case 1 -> "COMMON_CFG";
            case 2 -> "NOTIFY_CFG";
            case 3 -> "ISR_CFG";
            case 4 -> "DEVICE_CFG";
            case 5 -> "PCI_CFG";
            default -> "cfg_type " + type;
        });
        if (type != 5) {
            c.put("bar", cfg.read8(p + 4));
            c.put("bar_offset", "0x" + Integer.toHexString(cfg.read32(p + 8)));
            c.put("length", "0x" + Integer.toHexString(cfg.read32(p + 12)));
        }
        if (type == 2 && cfg.read8(p + 2) >= 20) {
            c.put("notify_off_multiplier", cfg.read32(p + 16));
        }
    }

    /** The extended capability list from 0x100 (PCIe 4.0, 7.6); {@code warnings} says where and why it was cut. */
    static List<Map<String, Object>> extendedCapabilities(ConfigSpace cfg, List<String> warnings) {
        List<Map<String, Object>> caps = new ArrayList<>();
        Set<Integer> visited = new HashSet<>();
        int ptr = EXTENDED_START;
        while (true) {
            int header = cfg.read32(ptr);
            if (header == 0 || header == -1) {
                break;   // no extended capabilities (0), or a conventional function behind a PCIe bridge (-1)
            }
            visited.add(ptr);
            int id = header & 0xFFFF;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("offset", String.format("%03x", ptr));
            c.put("id", hex4(id));
            c.put("version", (header >>> 16) & 0xF);
            c.put("name", EXTENDED_NAMES.getOrDefault(id, "Unknown"));
            if (id == 0x0003 && ptr + 12 <= cfg.size()) {
                long serial = (cfg.read32(ptr + 8) & 0xFFFFFFFFL) << 32 | (cfg.read32(ptr + 4) & 0xFFFFFFFFL);
                c.put("serial", String.format("%016x", serial));
            } else if (id == 0x0001 && ptr + PciExpressDecoder.AER_LENGTH <= cfg.size()) {
                PciExpressDecoder.aer(cfg, ptr, c);
            }
            caps.add(c);
            int next = (header >>> 20) & 0xFFC;
            if (next == 0) {
                break;
            }
            String cut = next < EXTENDED_START ? "points below 0x100" : next + 4 > cfg.size() ? "points outside the "
                    + cfg.size() + "-byte config space" : visited.contains(next) ? "loops back" : null;
            if (cut != null) {
                warnings.add(String.format("extended capability chain cut: the pointer at 0x%03x %s (0x%03x)", ptr, cut,
                        next));
                break;
            }
            ptr = next;
        }
        return caps;
    }

    private static String hex2(int v) {
        return String.format("%02x", v);
    }

    private static String hex4(int v) {
        return String.format("%04x", v);
    }
}
