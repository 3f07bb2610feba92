package io.nicup.vfio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a function's configuration space the way {@code lspci -vv} does, into ordered maps for
 * display and JSON: header fields, command/status bits, the capability list and the PCI Express
 * extended capabilities. Offsets and bit meanings: PCI Local Bus Specification 3.0 section 6 (header,
 * capability list at 0x34), PCI Express Base Specification 4.0 sections 7.5-7.9 (PCIe, MSI-X and
 * extended capability registers). Loops and out-of-range pointers end the walk instead of spinning.
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

    private static final String[] LINK_SPEEDS = {"?", "2.5GT/s", "5GT/s", "8GT/s", "16GT/s", "32GT/s", "64GT/s"};

    private PciConfigDecoder() {
    }

    /** The whole decode: header, command, status, capabilities and extended capabilities. */
    public static Map<String, Object> decode(ConfigSpace cfg) {
        Map<String, Object> m = new LinkedHashMap<>();
        int vendor = cfg.read16(0x00);
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
        m.put("capabilities", (status & 0x10) != 0 ? capabilities(cfg) : List.of());
        m.put("extended_capabilities", cfg.size() > 256 ? extendedCapabilities(cfg) : List.of());
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

    static List<Map<String, Object>> capabilities(ConfigSpace cfg) {
        List<Map<String, Object>> caps = new ArrayList<>();
        int end = Math.min(0x100, cfg.size());
        int ptr = cfg.read8(0x34) & 0xFC;
        for (int seen = 0; ptr >= 0x40 && ptr < end && seen < 48; seen++) {
            int id = cfg.read8(ptr);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("offset", hex2(ptr));
            c.put("id", hex2(id));
            c.put("name", CAPABILITY_NAMES.getOrDefault(id, "Unknown"));
            // the device picks the pointer: a body that would run past the conventional space is not read
            switch (ptr + bodyLength(id) <= end ? id : -1) {
                case 0x01 -> powerManagement(cfg, ptr, c);
                case 0x05 -> msi(cfg, ptr, c);
                case 0x10 -> pciExpress(cfg, ptr, c);
                case 0x11 -> msix(cfg, ptr, c);
                case 0x09 -> {
                    if (cfg.read16(0x00) == 0x1AF4) {
                        virtio(cfg, ptr, c);
                    }
                }
                default -> { }
            }
            caps.add(c);
            ptr = cfg.read8(ptr + 1) & 0xFC;
        }
        return caps;
    }

    /** How many bytes from its offset the decode of a capability reads. */
    private static int bodyLength(int id) {
        return switch (id) {
            case 0x01 -> 6;
            case 0x05 -> 4;
            case 0x10 -> 0x14;
            case 0x11 -> 12;
            case 0x09 -> 20;
            default -> 2;
        };
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

    private static void pciExpress(ConfigSpace cfg, int p, Map<String, Object> c) {
        int caps = cfg.read16(p + 2);
        int devCap = cfg.read32(p + 4);
        int devCtl = cfg.read16(p + 8);
        int linkCap = cfg.read32(p + 0x0C);
        int linkSta = cfg.read16(p + 0x12);
        c.put("version", caps & 0xF);
        c.put("device_type", switch ((caps >>> 4) & 0xF) {
            case 0 -> "Endpoint";
            case 1 -> "Legacy Endpoint";
            case 4 -> "Root Port";
            case 5 -> "Upstream Port";
            case 6 -> "Downstream Port";
            case 9 -> "Root Complex Integrated Endpoint";
            default -> "type " + ((caps >>> 4) & 0xF);
        });
        c.put("max_payload_supported", 128 << (devCap & 0x7));
        c.put("max_payload", 128 << ((devCtl >>> 5) & 0x7));
        c.put("max_read_request", 128 << ((devCtl >>> 12) & 0x7));
        c.put("link_speed_max", speed(linkCap & 0xF));
        c.put("link_width_max", "x" + ((linkCap >>> 4) & 0x3F));
        c.put("link_speed", speed(linkSta & 0xF));
        c.put("link_width", "x" + ((linkSta >>> 4) & 0x3F));
    }

    static List<Map<String, Object>> extendedCapabilities(ConfigSpace cfg) {
        List<Map<String, Object>> caps = new ArrayList<>();
        int ptr = 0x100;
        for (int seen = 0; ptr >= 0x100 && ptr + 4 <= cfg.size() && seen < 64; seen++) {
            int header = cfg.read32(ptr);
            if (header == 0 || header == -1) {
                break;
            }
            int id = header & 0xFFFF;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("offset", String.format("%03x", ptr));
            c.put("id", hex4(id));
            c.put("version", (header >>> 16) & 0xF);
            c.put("name", EXTENDED_NAMES.getOrDefault(id, "Unknown"));
            if (id == 0x0003 && ptr + 12 <= cfg.size()) {
                long serial = (cfg.read32(ptr + 8) & 0xFFFFFFFFL) << 32 | (cfg.read32(ptr + 4) & 0xFFFFFFFFL);
                c.put("serial", String.format("%016x", serial));
            }
            caps.add(c);
            ptr = (header >>> 20) & 0xFFC;
        }
        return caps;
    }

    private static String speed(int code) {
        return code < LINK_SPEEDS.length ? LINK_SPEEDS[code] : "?";
    }

    private static String hex2(int v) {
        return String.format("%02x", v);
    }

    private static String hex4(int v) {
        return String.format("%04x", v);
    }
}
