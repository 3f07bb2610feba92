package io.nicup.mock;

import io.nicup.vfio.BarInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Faults in the configuration space that every model takes under the same names
 * ({@code mock:MODEL?fault=cap-loop}): a capability chain that loops, leaves the space or points into the
 * header, and an MSI-X table or PBA in a BAR that does not exist, overlapping each other or running past
 * the end of its BAR. {@link ModelFactory} parses them for every model and applies them to the finished
 * configuration space; the chains stay walkable for the model itself (each fault bends the last pointer of
 * a chain, so every real capability is still reached first). Offsets and layouts: PCI Local Bus 3.0 6.7
 * (the list from 0x34, capabilities from 0x40), PCI Express 4.0 7.6 (the extended list from 0x100,
 * next pointer in bits 31:20) and 7.7.2 (MSI-X table and PBA: BIR in bits 2:0, offset above).
 */
public enum ConfigFault implements ModelFault {
    CAP_LOOP("cap-loop", "the last capability's next pointer leads back to the first: the chain loops") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            c.set(lastCapability(c) + 1, 1, c.raw(MockConfigSpace.CAPABILITIES_POINTER, 1));
        }
    },
    CAP_OUTSIDE("cap-outside", "the last capability points to 0xFC, where a PCI Express capability would run past"
            + " the 256-byte space") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            c.set(lastCapability(c) + 1, 1, OUTSIDE_AT);
            c.set(OUTSIDE_AT, 1, MockConfigSpace.CAP_ID_PCIE);
            c.set(OUTSIDE_AT + 1, 1, 0);
        }
    },
    CAP_INTO_HEADER("cap-into-header", "the last capability's next pointer is 0x10 (BAR0, inside the header)") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            c.set(lastCapability(c) + 1, 1, MockConfigSpace.BAR0);
        }
    },
    EXT_CAP_LOOP("ext-cap-loop", "the last extended capability's next pointer leads back to 0x100 (one is made"
            + " there when the model has none)") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            linkLastExtended(c, EXT_START);
        }
    },
    EXT_CAP_OUTSIDE("ext-cap-outside", "the last extended capability points to 0xFFC, where an AER capability would"
            + " run past the 4 KiB space") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            linkLastExtended(c, EXT_OUTSIDE_AT);
            c.set(EXT_OUTSIDE_AT, 4, (1 << 16) | MockConfigSpace.EXT_CAP_ID_AER);
        }
    },
    MSIX_BAR_MISSING("msix-bar-missing", "the MSI-X table is in BAR5, which the function does not implement") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            int cap = msix(c);
            c.set(cap + 4, 4, (c.raw(cap + 4, 4) & ~BIR_MASK) | MISSING_BAR);
        }
    },
    MSIX_OVERLAP("msix-overlap", "the MSI-X PBA sits on the table (same BAR, same offset)") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            int cap = msix(c);
            c.set(cap + 8, 4, c.raw(cap + 4, 4));
        }
    },
    MSIX_BEYOND_BAR("msix-beyond-bar", "the MSI-X table starts 8 bytes before the end of its BAR and runs past it") {
        @Override
        void apply(MockConfigSpace c, List<BarInfo> bars) {
            int cap = msix(c);
            int bir = c.raw(cap + 4, 4) & BIR_MASK;
            long size = bars.stream().filter(b -> b.index() == bir).findFirst().orElseThrow().size();
            c.set(cap + 4, 4, (int) (size - 8) | bir);
        }
    };

    /** Where {@link #CAP_OUTSIDE} puts its capability. */
    public static final int OUTSIDE_AT = 0xFC;
    /** Where {@link #EXT_CAP_OUTSIDE} puts its extended capability. */
    public static final int EXT_OUTSIDE_AT = 0xFFC;
    /** The BAR {@link #MSIX_BAR_MISSING} names: no model implements BAR5 (virtio-net's BAR4 is 64-bit). */
    public static final int MISSING_BAR = 5;
    private static final int EXT_START = 0x100;
    private static final int BIR_MASK = 0x7;
    private static final int MAX_CAPS = 48;

    private final Definition definition;

    ConfigFault(String specName, String description) {
        this.definition = new Definition(specName, Counts.NOTHING, 0, description);
    }

    @Override
    public Definition definition() {
        return definition;
    }

    /** Bends {@code config} as the fault says; {@code bars} are the model's implemented BARs. */
    abstract void apply(MockConfigSpace config, List<BarInfo> bars);

    /** Applies every fault of {@code faults} that is one of these, in declaration order. */
    static void applyAll(Set<String> faults, MockConfigSpace config, List<BarInfo> bars) {
        for (ConfigFault f : values()) {
            if (faults.contains(f.specName())) {
                f.apply(config, bars);
            }
        }
    }

    /** Whether {@code name} is one of these faults. */
    static boolean isConfigFault(String name) {
        return catalogue().containsKey(name);
    }

    static Map<String, String> catalogue() {
        return ModelFault.catalogue(ConfigFault.class);
    }

    private static int lastCapability(MockConfigSpace c) {
        int at = c.raw(MockConfigSpace.CAPABILITIES_POINTER, 1) & 0xFC;
        for (int n = 0; n < MAX_CAPS; n++) {
            int next = c.raw(at + 1, 1) & 0xFC;
            if (next == 0) {
                return at;
            }
            at = next;
        }
        throw new IllegalStateException("capability chain of the model does not end: at=0x" + Integer.toHexString(at));
    }

    /** Points the last extended capability's next field at {@code target} (making one at 0x100 if there is none). */
    private static void linkLastExtended(MockConfigSpace c, int target) {
        int at = EXT_START;
        if (c.raw(at, 4) == 0) {
            c.set(at, 4, (1 << 16) | 0x000B);                    // a vendor-specific extended capability
        }
        for (int n = 0; n < MAX_CAPS; n++) {
            int next = c.raw(at, 4) >>> 20;
            if (next == 0) {
                c.set(at, 4, (c.raw(at, 4) & 0x000F_FFFF) | target << 20);
                return;
            }
            at = next;
        }
        throw new IllegalStateException("extended capability chain of the model does not end");
    }

    private static int msix(MockConfigSpace c) {
        int cap = c.findCapability(MockConfigSpace.CAP_ID_MSIX);
        if (cap == 0) {
            throw new IllegalStateException("the model has no MSI-X capability");
        }
        return cap;
    }
}
