package io.nicup.ndis.miniport.core;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.AllocatedResources;
import io.nicup.ndis.adapter.NdisAdapterHandle;

/**
 * What a miniport checks in its function's configuration space before it uses a capability: the device
 * wrote it, so it is input (docs/hardware-reference.md A.9). The capability list must stay between 0x40
 * and 0xFF and visit each capability once, with each body inside the 256 bytes; the extended list must
 * stay between 0x100 and 0xFFF and visit each once; the MSI-X table and PBA must lie in a memory BAR the
 * function implements, inside it when the adapter was given that BAR (and so knows its size), without
 * overlapping. A device that breaks one of these fails MiniportInitializeEx with a
 * {@link DeviceConfigException} naming where, before anything is mapped or allocated.
 *
 * <p>Only the bytes NdisMGetBusData returns are read, from one copy, so the walk ends after at most one
 * visit of each dword however the device changes its answers. A space that reads all ones (vendor ID
 * 0xFFFF: nothing answers, the device is gone) is left to the steps that follow, which name the removal.
 */
public final class ConfigSpaceCheck {

    /** The standard capabilities, after the header (PCI 3.0 6.7). */
    private static final int FIRST_CAPABILITY = 0x40;
    private static final int STANDARD_END = 0x100;
    private static final int EXTENDED_END = 0x1000;
    private static final int CAPABILITIES_POINTER = 0x34;
    private static final int BAR0 = 0x10;
    private static final int STATUS = 0x06;
    private static final int STATUS_CAP_LIST = 0x10;
    private static final int CAP_ID_MSIX = 0x11;
    private static final int MSIX_TABLE_ENTRY = 16;

    private ConfigSpaceCheck() {
    }

    /**
     * Reads the configuration space through NdisMGetBusData and checks it against the adapter's memory
     * resources; returns the bytes read (at least the 64-byte header).
     *
     * @throws DeviceConfigException when the space is unreadable or a structure is malformed
     */
    public static byte[] check(Ndis ndis, NdisAdapterHandle handle, AllocatedResources resources) {
        byte[] space = new byte[EXTENDED_END];
        int n = ndis.NdisMGetBusData(handle, 0, space);
        if (n < FIRST_CAPABILITY) {
            throw new DeviceConfigException("PCI configuration space unreadable: bytes=" + n);
        }
        byte[] config = java.util.Arrays.copyOf(space, n);
        check(config, resources);
        return config;
    }

    /** Checks {@code config} (as read from offset 0) against {@code resources}. */
    public static void check(byte[] config, AllocatedResources resources) {
        if (u16(config, 0) == 0xFFFF) {
            return;
        }
        int msix = standardChain(config);
        if (config.length >= STANDARD_END + 4) {
            extendedChain(config);
        }
        if (msix != 0) {
            msix(config, msix, resources);
        }
    }

    /** Walks the capability list; returns the MSI-X capability's offset, or 0. */
    private static int standardChain(byte[] c) {
        if ((u16(c, STATUS) & STATUS_CAP_LIST) == 0) {
            return 0;
        }
        boolean[] visited = new boolean[STANDARD_END / 4];
        int msix = 0;
        int from = CAPABILITIES_POINTER;
        int at = u8(c, from) & 0xFC;
        while (at != 0) {
            if (at < FIRST_CAPABILITY) {
                throw new DeviceConfigException(String.format("capability chain points into the header:"
                        + " pointer_at=0x%02X next=0x%02X (capabilities live at 0x40-0xFF)", from, at));
            }
            if (visited[at / 4]) {
                throw new DeviceConfigException(String.format("capability chain loops: pointer_at=0x%02X"
                        + " next=0x%02X (visited before)", from, at));
            }
            visited[at / 4] = true;
            int id = u8(c, at);
            int length = bodyLength(c, id, at);
            if (at + length > Math.min(STANDARD_END, c.length)) {
                throw new DeviceConfigException(String.format("capability runs past the configuration space:"
                        + " id=0x%02X at=0x%02X length=%d end=0x%X", id, at, length, STANDARD_END));
            }
            if (id == CAP_ID_MSIX && msix == 0) {
                msix = at;
            }
            from = at + 1;
            at = u8(c, from) & 0xFC;
        }
        return msix;
    }

    /** The shortest body of a capability a driver may read (docs/hardware-reference.md A.9), at least ID and next. */
    private static int bodyLength(byte[] c, int id, int at) {
        return switch (id) {
            case 0x01 -> 8;                                   // Power Management
            case 0x05 -> 10;                                  // MSI
            case 0x10 -> 20;                                  // PCI Express, through Link Status
            case CAP_ID_MSIX -> 12;
            case 0x09 -> Math.max(3, at + 2 < c.length ? u8(c, at + 2) : 3);   // vendor-specific: cap_len
            default -> 2;
        };
    }

    /** Walks the extended capability list from 0x100 (docs/hardware-reference.md A.9). */
    private static void extendedChain(byte[] c) {
        int header = s32(c, STANDARD_END);
        if (header == 0 || header == -1) {
            return;
        }
        boolean[] visited = new boolean[EXTENDED_END / 4];
        int at = STANDARD_END;
        while (true) {
            header = s32(c, at);
            if (visited[at / 4]) {
                throw new DeviceConfigException(String.format("extended capability chain loops: next=0x%03X"
                        + " (visited before)", at));
            }
            visited[at / 4] = true;
            int id = header & 0xFFFF;
            int length = switch (id) {
                case 0x0001 -> 0x2C;                          // AER, endpoint
                case 0x0003 -> 12;                            // Device Serial Number
                default -> 4;
            };
            if (at + length > Math.min(EXTENDED_END, c.length)) {
                throw new DeviceConfigException(String.format("extended capability runs past the configuration"
                        + " space: id=0x%04X at=0x%03X length=%d end=0x%X", id, at, length, EXTENDED_END));
            }
            int next = (header >>> 20) & 0xFFC;
            if (next == 0) {
                return;
            }
            if (next < STANDARD_END) {
                throw new DeviceConfigException(String.format("extended capability chain leaves the extended"
                        + " space: at=0x%03X next=0x%03X (extended capabilities live at 0x100-0xFFF)", at, next));
            }
            if (next + 4 > c.length) {
                return;                                       // beyond what NdisMGetBusData could read
            }
            at = next;
        }
    }

    /** The MSI-X table and PBA inside memory BARs the adapter has, not overlapping (docs/hardware-reference.md A.9). */
    private static void msix(byte[] c, int cap, AllocatedResources resources) {
        int vectors = (u16(c, cap + 2) & 0x7FF) + 1;
        int table = s32(c, cap + 4);
        int pba = s32(c, cap + 8);
        long tableBytes = (long) vectors * MSIX_TABLE_ENTRY;
        long pbaBytes = 8L * ((vectors + 63) / 64);
        Region t = region(c, "table", table, tableBytes, vectors, resources);
        Region p = region(c, "PBA", pba, pbaBytes, vectors, resources);
        if (t.bar == p.bar && t.offset < p.offset + p.bytes && p.offset < t.offset + t.bytes) {
            throw new DeviceConfigException(String.format("MSI-X table and PBA overlap: bar=%d table=0x%X+0x%X"
                    + " pba=0x%X+0x%X vectors=%d", t.bar, t.offset, t.bytes, p.offset, p.bytes, vectors));
        }
    }

    private record Region(int bar, long offset, long bytes) {
    }

    private static Region region(byte[] c, String what, int word, long bytes, int vectors,
            AllocatedResources resources) {
        int bir = word & 0x7;
        long offset = word & 0xFFFF_FFF8L;
        AllocatedResources.MemoryResource bar = bir <= 5 ? resources.bar(bir) : null;
        if (bar == null && bir <= 5 && memoryBarImplemented(c, bir)) {
            return new Region(bir, offset, bytes);          // a BAR the adapter was not given to map: no size to check
        }
        if (bar == null) {
            throw new DeviceConfigException(String.format("MSI-X %s is in a BAR the function does not have:"
                    + " bir=%d offset=0x%X vectors=%d memory_bars=%s", what, bir, offset, vectors, barList(resources)));
        }
        if (offset + bytes > bar.length()) {
            throw new DeviceConfigException(String.format("MSI-X %s runs past the end of its BAR: bar=%d offset=0x%X"
                    + " bytes=0x%X bar_size=0x%X vectors=%d", what, bir, offset, bytes, bar.length(), vectors));
        }
        return new Region(bir, offset, bytes);
    }

    /**
     * Whether BAR {@code bir} is a memory BAR with an address, and not the upper half of a 64-bit BAR
     * (PCI 3.0 6.2.5.1: bit 0 clear for memory, bits 2:1 = 10b for 64-bit).
     */
    private static boolean memoryBarImplemented(byte[] c, int bir) {
        int i = 0;
        while (i < bir) {
            int r = s32(c, BAR0 + 4 * i);
            i += (r & 1) == 0 && (r & 0x6) == 0x4 ? 2 : 1;
        }
        if (i != bir) {
            return false;
        }
        int r = s32(c, BAR0 + 4 * bir);
        boolean is64 = (r & 1) == 0 && (r & 0x6) == 0x4 && bir < 5;
        return (r & 1) == 0 && ((r & ~0xF) != 0 || is64 && s32(c, BAR0 + 4 * bir + 4) != 0);
    }

    private static String barList(AllocatedResources resources) {
        StringBuilder sb = new StringBuilder();
        for (AllocatedResources.MemoryResource m : resources.memory()) {
            sb.append(sb.isEmpty() ? "" : ",").append(m.barIndex());
        }
        return sb.isEmpty() ? "none" : sb.toString();
    }

    private static int u8(byte[] c, int at) {
        return at < c.length ? c[at] & 0xFF : 0;
    }

    private static int u16(byte[] c, int at) {
        return u8(c, at) | u8(c, at + 1) << 8;
    }

    private static int s32(byte[] c, int at) {
        return u16(c, at) | u16(c, at + 2) << 16;
    }
}
