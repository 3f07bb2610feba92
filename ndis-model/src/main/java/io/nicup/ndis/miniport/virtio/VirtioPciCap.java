package io.nicup.ndis.miniport.virtio;

import io.nicup.vfio.ConfigSpace;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One vendor-specific capability of a modern virtio PCI function ({@code struct virtio_pci_cap}, virtio
 * 1.2 section 4.1.4): which configuration structure it locates, in which BAR, at which offset.
 *
 * <pre>
 *  byte 0         1          2         3          4     5    6..7      8..11         12..15       16..19
 * ┌──────────┬──────────┬─────────┬──────────┬─────┬────┬─────────┬────────────┬─────────────┬──────────────────────┐
 * │ cap_vndr │ cap_next │ cap_len │ cfg_type │ bar │ id │ padding │ offset le32│ length le32 │ notify_off_multiplier│
 * │   0x09   │          │         │  1..5    │     │    │         │            │             │ (NOTIFY only)        │
 * └──────────┴──────────┴─────────┴──────────┴─────┴────┴─────────┴────────────┴─────────────┴──────────────────────┘
 * </pre>
 *
 * @param at offset of the capability in configuration space
 * @param cfgType {@link #COMMON_CFG} .. {@link #PCI_CFG}
 * @param notifyOffMultiplier only for {@link #NOTIFY_CFG}, else 0
 */
public record VirtioPciCap(int at, int cfgType, int bar, int offset, long length, int notifyOffMultiplier) {

    /** PCI capability ID of vendor-specific capabilities (PCI Local Bus 3.0, appendix H). */
    public static final int CAP_ID_VNDR = 0x09;
    /** cfg_type values (virtio 1.2, 4.1.4 "VIRTIO_PCI_CAP_*"). */
    public static final int COMMON_CFG = 1;
    public static final int NOTIFY_CFG = 2;
    public static final int ISR_CFG = 3;
    public static final int DEVICE_CFG = 4;
    public static final int PCI_CFG = 5;

    /** {@code struct virtio_pci_cap}; the notify capability appends {@code notify_off_multiplier}. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("cap_vndr"),
            ValueLayout.JAVA_BYTE.withName("cap_next"),
            ValueLayout.JAVA_BYTE.withName("cap_len"),
            ValueLayout.JAVA_BYTE.withName("cfg_type"),
            ValueLayout.JAVA_BYTE.withName("bar"),
            ValueLayout.JAVA_BYTE.withName("id"),
            MemoryLayout.paddingLayout(2),
            ValueLayout.JAVA_INT_UNALIGNED.withName("offset"),
            ValueLayout.JAVA_INT_UNALIGNED.withName("length"));

    static final int CAP_NEXT = off("cap_next");
    static final int CAP_LEN = off("cap_len");
    static final int CFG_TYPE = off("cfg_type");
    static final int BAR = off("bar");
    static final int OFFSET = off("offset");
    static final int LENGTH = off("length");
    /** {@code struct virtio_pci_notify_cap}: the multiplier follows the 16-byte header. */
    static final int NOTIFY_OFF_MULTIPLIER = (int) LAYOUT.byteSize();
    static final int NOTIFY_CAP_LEN = NOTIFY_OFF_MULTIPLIER + 4;
    /** Capabilities live between 0x40 and 0xFF; a longer chain than fits there is a loop. */
    private static final int MAX_CAPS = 48;

    private static int off(String name) {
        return (int) LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(name));
    }

    public static String typeName(int cfgType) {
        return switch (cfgType) {
            case COMMON_CFG -> "COMMON_CFG";
            case NOTIFY_CFG -> "NOTIFY_CFG";
            case ISR_CFG -> "ISR_CFG";
            case DEVICE_CFG -> "DEVICE_CFG";
            case PCI_CFG -> "PCI_CFG";
            default -> "cfg_type_" + cfgType;
        };
    }

    /**
     * Walks the capability list from the Capabilities Pointer (0x34) and returns every vendor-specific
     * capability in chain order; the list is bounded so that a looping chain ends.
     */
    public static List<VirtioPciCap> walk(ConfigSpace config) {
        List<VirtioPciCap> out = new ArrayList<>();
        if ((config.read16(0x06) & 0x10) == 0) {                  // Status.Capabilities List
            return out;
        }
        int at = config.read8(0x34) & 0xFC;
        for (int n = 0; at >= 0x40 && n < MAX_CAPS; n++) {
            int id = config.read8(at);
            if (id == CAP_ID_VNDR) {
                int len = config.read8(at + CAP_LEN);
                int type = config.read8(at + CFG_TYPE);
                int bar = config.read8(at + BAR);
                int offset = config.read32(at + OFFSET);
                long length = config.read32(at + LENGTH) & 0xFFFF_FFFFL;
                int mult = type == NOTIFY_CFG && len >= NOTIFY_CAP_LEN ? config.read32(at + NOTIFY_OFF_MULTIPLIER) : 0;
                out.add(new VirtioPciCap(at, type, bar, offset, length, mult));
            }
            at = config.read8(at + CAP_NEXT) & 0xFC;
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("%s@0x%02X bar=%d offset=0x%X length=0x%X%s", typeName(cfgType), at, bar, offset, length,
                cfgType == NOTIFY_CFG ? " notify_off_multiplier=" + notifyOffMultiplier : "");
    }
}
