package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.PhyDump;
import java.util.ArrayList;
import java.util.List;

/**
 * The standard registers of a gigabit copper PHY and their bits by the IEEE 802.3 names (clause 22:
 * BMCR, BMSR, PHY identifier, autonegotiation advertisement, link partner ability and expansion; clause
 * 40: 1000BASE-T control and status), as Linux {@code include/uapi/linux/mii.h} spells them and
 * {@code mii-tool -v} prints them. Facts: docs/hardware-reference.md B.11.
 */
public final class MiiRegisters {

    private MiiRegisters() {
    }

    public static final int BMCR = 0;
    public static final int BMSR = 1;
    public static final int PHYSID1 = 2;
    public static final int PHYSID2 = 3;
    public static final int ADVERTISE = 4;
    public static final int LPA = 5;
    public static final int EXPANSION = 6;
    public static final int CTRL1000 = 9;
    public static final int STAT1000 = 10;

    /** The registers a dump reads, in order, with the names the dump gives them. */
    public static final int[] DUMPED = {BMCR, BMSR, PHYSID1, PHYSID2, ADVERTISE, LPA, EXPANSION, CTRL1000, STAT1000};

    public static final int BMSR_LSTATUS = 0x0004;
    public static final int BMSR_ANEGCOMPLETE = 0x0020;
    /** Ability bits shared by ANAR and ANLPAR (clause 28 base page, selector 00001 = IEEE 802.3). */
    public static final int ADVERTISE_10HALF = 0x0020;
    public static final int ADVERTISE_10FULL = 0x0040;
    public static final int ADVERTISE_100HALF = 0x0080;
    public static final int ADVERTISE_100FULL = 0x0100;
    public static final int ADVERTISE_100BASE4 = 0x0200;
    public static final int ADVERTISE_PAUSE = 0x0400;
    public static final int ADVERTISE_ASYM_PAUSE = 0x0800;
    /** 1000BASE-T status: what the link partner advertised in its 1000BASE-T page. */
    public static final int LPA_1000HALF = 0x0400;
    public static final int LPA_1000FULL = 0x0800;

    /** The name a dump gives register {@code reg}. */
    public static String name(int reg) {
        return switch (reg) {
            case BMCR -> "BMCR";
            case BMSR -> "BMSR";
            case PHYSID1 -> "PHYSID1";
            case PHYSID2 -> "PHYSID2";
            case ADVERTISE -> "ANAR";
            case LPA -> "ANLPAR";
            case EXPANSION -> "ANER";
            case CTRL1000 -> "CTRL1000";
            case STAT1000 -> "STAT1000";
            default -> "MII" + reg;
        };
    }

    /** The bits of {@code value} read from register {@code reg}, by name; PHYSID2 also gives the OUI with PHYSID1. */
    public static String decode(int reg, int value, int physid1) {
        return switch (reg) {
            case BMCR -> bmcr(value);
            case BMSR -> RegisterFlags.names(value, 0x8000, "100BASE-T4", 0x4000, "100FULL", 0x2000, "100HALF",
                    0x1000, "10FULL", 0x0800, "10HALF", 0x0400, "100FULL2", 0x0200, "100HALF2", 0x0100, "ESTATEN",
                    0x0040, "MF_PREAMBLE_SUPPRESSION", BMSR_ANEGCOMPLETE, "ANEGCOMPLETE", 0x0010, "RFAULT", 0x0008,
                    "ANEGCAPABLE", BMSR_LSTATUS, "LSTATUS", 0x0002, "JCD", 0x0001, "ERCAP")
                    + ((value & BMSR_LSTATUS) != 0 ? " (link up)" : " (link down)");
            case PHYSID1 -> "OUI bits 3-18";
            case PHYSID2 -> String.format("OUI=0x%06X model=0x%02X revision=%d", physid1 << 6 | value >>> 10,
                    value >>> 4 & 0x3F, value & 0xF);
            case ADVERTISE, LPA -> abilities(value);
            case EXPANSION -> RegisterFlags.names(value, 0x0001, "LPANEGABLE", 0x0002, "PAGE_RECEIVED", 0x0004,
                    "NPABLE", 0x0008, "LPNPABLE", 0x0010, "PARALLEL_DETECTION_FAULT");
            case CTRL1000 -> RegisterFlags.names(value, 0x0100, "1000HALF", 0x0200, "1000FULL", 0x0400, "PORT_TYPE",
                    0x0800, "MS_VALUE(master)", 0x1000, "MS_MANUAL") + testMode(value);
            case STAT1000 -> RegisterFlags.names(value, LPA_1000HALF, "LP_1000HALF", LPA_1000FULL, "LP_1000FULL",
                    0x1000, "REMOTE_RX_OK", 0x2000, "LOCAL_RX_OK", 0x4000, "MS_RESOLVED(master)", 0x8000, "MS_FAULT")
                    + " idle_errors=" + (value & 0xFF);
            default -> "";
        };
    }

    private static String bmcr(int v) {
        String flags = RegisterFlags.names(v, 0x8000, "RESET", 0x4000, "LOOPBACK", 0x1000, "ANENABLE", 0x0800, "PDOWN",
                0x0400, "ISOLATE", 0x0200, "ANRESTART", 0x0100, "FULLDPLX", 0x0080, "CTST");
        if ((v & 0x1000) != 0) {
            return flags + " (speed and duplex autonegotiated)";
        }
        String speed = switch (v & 0x2040) {
            case 0x0040 -> "1000";
            case 0x2000 -> "100";
            case 0 -> "10";
            default -> "reserved";
        };
        return (flags.isEmpty() ? "" : flags + " ") + "forced SPEED=" + speed + ((v & 0x0100) != 0 ? " full" : " half")
                + " duplex";
    }

    private static String abilities(int v) {
        int selector = v & 0x1F;
        String flags = RegisterFlags.names(v, ADVERTISE_10HALF, "10HALF", ADVERTISE_10FULL, "10FULL", ADVERTISE_100HALF,
                "100HALF", ADVERTISE_100FULL, "100FULL", ADVERTISE_100BASE4, "100BASE4", ADVERTISE_PAUSE, "PAUSE",
                ADVERTISE_ASYM_PAUSE, "ASYM_PAUSE", 0x1000, "XNP", 0x2000, "RFAULT", 0x4000, "ACK", 0x8000, "NPAGE");
        return (flags.isEmpty() ? "" : flags + " ") + "SELECTOR=" + (selector == 1 ? "802.3" : selector + " (not 802.3)");
    }

    private static String testMode(int v) {
        int mode = v >>> 13 & 7;
        return mode == 0 ? "" : " TEST_MODE=" + mode;
    }

    /**
     * What the link partner advertised, in ethtool's words: its base page (ANLPAR) and 1000BASE-T page
     * (STAT1000) count only once BMSR says autonegotiation completed.
     */
    public static PhyDump.LinkPartner partner(int bmsr, int lpa, int stat1000) {
        if ((bmsr & BMSR_ANEGCOMPLETE) == 0) {
            return new PhyDump.LinkPartner(false, List.of(), "unknown");
        }
        List<String> modes = new ArrayList<>();
        add(modes, lpa, ADVERTISE_10HALF, "10baseT/Half");
        add(modes, lpa, ADVERTISE_10FULL, "10baseT/Full");
        add(modes, lpa, ADVERTISE_100HALF, "100baseT/Half");
        add(modes, lpa, ADVERTISE_100FULL, "100baseT/Full");
        add(modes, lpa, ADVERTISE_100BASE4, "100baseT4");
        add(modes, stat1000, LPA_1000HALF, "1000baseT/Half");
        add(modes, stat1000, LPA_1000FULL, "1000baseT/Full");
        boolean pause = (lpa & ADVERTISE_PAUSE) != 0;
        boolean asym = (lpa & ADVERTISE_ASYM_PAUSE) != 0;
        String p = pause ? asym ? "Symmetric Receive-only" : "Symmetric" : asym ? "Transmit-only" : "No";
        return new PhyDump.LinkPartner(true, modes, p);
    }

    private static void add(List<String> modes, int reg, int bit, String mode) {
        if ((reg & bit) != 0) {
            modes.add(mode);
        }
    }
}
