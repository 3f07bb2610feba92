package io.nicup.vfio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The PCI Express capability and the Advanced Error Reporting extended capability, decoded as
 * {@code lspci -vv} shows them (DevSta, LnkCap/LnkCtl/LnkSta with ASPM, LnkCtl2; UESta/UEMsk/UESvrt,
 * CESta/CEMsk) and with lspci's short names for the bits. Register offsets and bits: PCI Express Base
 * Specification 4.0, 7.5.3 (PCI Express Capability Structure) and 7.8.4 (Advanced Error Reporting).
 */
final class PciExpressDecoder {

    /** Bytes of the PCI Express capability structure up to and including Link Control 2 (7.5.3). */
    static final int PCIE_LENGTH = 0x34;
    /** Bytes of the AER registers decoded here, header to Advanced Error Capabilities and Control (7.8.4). */
    static final int AER_LENGTH = 0x1C;

    private static final String[] LINK_SPEEDS = {"?", "2.5GT/s", "5GT/s", "8GT/s", "16GT/s", "32GT/s", "64GT/s"};
    private static final String[] ASPM = {"disabled", "L0s", "L1", "L0s L1"};
    private static final String[] ASPM_SUPPORT = {"none", "L0s", "L1", "L0s L1"};

    /** Device Status (7.5.3.5), bit by bit. */
    private static final String[] DEVICE_STATUS = {"CorrErr", "NonFatalErr", "FatalErr", "UnsupReq", "AuxPwr",
        "TransPend"};

    /** Uncorrectable Error Status/Mask/Severity bits (7.8.4.2-7.8.4.4); null where reserved. */
    private static final String[] UNCORRECTABLE = new String[32];
    /** Correctable Error Status/Mask bits (7.8.4.5-7.8.4.6); null where reserved. */
    private static final String[] CORRECTABLE = new String[32];

    static {
        UNCORRECTABLE[4] = "DLP";
        UNCORRECTABLE[5] = "SDES";
        UNCORRECTABLE[12] = "TLP";
        UNCORRECTABLE[13] = "FCP";
        UNCORRECTABLE[14] = "CmpltTO";
        UNCORRECTABLE[15] = "CmpltAbrt";
        UNCORRECTABLE[16] = "UnxCmplt";
        UNCORRECTABLE[17] = "RxOF";
        UNCORRECTABLE[18] = "MalfTLP";
        UNCORRECTABLE[19] = "ECRC";
        UNCORRECTABLE[20] = "UnsupReq";
        UNCORRECTABLE[21] = "ACSViol";
        UNCORRECTABLE[22] = "UncorrIntErr";
        UNCORRECTABLE[23] = "BlockedTLP";
        UNCORRECTABLE[24] = "AtomicOpBlocked";
        UNCORRECTABLE[25] = "TLPBlockedErr";
        CORRECTABLE[0] = "RxErr";
        CORRECTABLE[6] = "BadTLP";
        CORRECTABLE[7] = "BadDLLP";
        CORRECTABLE[8] = "Rollover";
        CORRECTABLE[12] = "Timeout";
        CORRECTABLE[13] = "AdvNonFatalErr";
        CORRECTABLE[14] = "CorrIntErr";
        CORRECTABLE[15] = "HeaderOF";
    }

    private PciExpressDecoder() {
    }

    /** The PCI Express capability at {@code p} (7.5.3). */
    static void pciExpress(ConfigSpace cfg, int p, Map<String, Object> c) {
        int caps = cfg.read16(p + 0x02);
        int devCap = cfg.read32(p + 0x04);
        int devCtl = cfg.read16(p + 0x08);
        int devSta = cfg.read16(p + 0x0A);
        int linkCap = cfg.read32(p + 0x0C);
        int linkCtl = cfg.read16(p + 0x10);
        int linkSta = cfg.read16(p + 0x12);
        int version = caps & 0xF;
        c.put("version", version);
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
        c.put("device_status", bits(devSta, DEVICE_STATUS));
        c.put("link_speed_max", speed(linkCap & 0xF));
        c.put("link_width_max", "x" + ((linkCap >>> 4) & 0x3F));
        c.put("aspm_support", ASPM_SUPPORT[(linkCap >>> 10) & 0x3]);
        c.put("aspm", ASPM[linkCtl & 0x3]);
        c.put("link_speed", speed(linkSta & 0xF));
        c.put("link_width", "x" + ((linkSta >>> 4) & 0x3F));
        c.put("link_training", (linkSta & 0x0800) != 0);
        c.put("dll_link_active", (linkSta & 0x2000) != 0);
        if (version >= 2) {
            int linkCtl2 = cfg.read16(p + 0x30);
            c.put("target_link_speed", speed(linkCtl2 & 0xF));
            c.put("hw_autonomous_speed_disable", (linkCtl2 & 0x20) != 0);
        }
    }

    /** The Advanced Error Reporting extended capability at {@code p} (7.8.4). */
    static void aer(ConfigSpace cfg, int p, Map<String, Object> c) {
        c.put("uncorrectable_status", bits(cfg.read32(p + 0x04), UNCORRECTABLE));
        c.put("uncorrectable_mask", bits(cfg.read32(p + 0x08), UNCORRECTABLE));
        c.put("uncorrectable_severity", bits(cfg.read32(p + 0x0C), UNCORRECTABLE));
        c.put("correctable_status", bits(cfg.read32(p + 0x10), CORRECTABLE));
        c.put("correctable_mask", bits(cfg.read32(p + 0x14), CORRECTABLE));
        c.put("first_error_pointer", cfg.read32(p + 0x18) & 0x1F);
    }

    /** The names of the bits set in {@code value}; a set bit without a name is shown as {@code bitN}. */
    static List<String> bits(int value, String[] names) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            if ((value & (1 << i)) != 0) {
                out.add(i < names.length && names[i] != null ? names[i] : "bit" + i);
            }
        }
        return out;
    }

    static String speed(int code) {
        return code < LINK_SPEEDS.length ? LINK_SPEEDS[code] : "?";
    }
}
