package io.nicup.ndis.miniport.intel;

import io.nicup.vfio.RegisterSpace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The statistics registers of the Intel gigabit chips (82574L and 82576), accumulated in software. The
 * chip's counters clear on read (QEMU: {@code e1000e_macreg_readops}, docs/hardware-reference.md B.6), so every read is
 * added to a 64-bit total here; they are read at every statistics query, at every CheckForHang (a 32-bit counter at 1 Gb/s cannot wrap in 2 s)
 * and before every CTRL.RST (which clears them). The 64-bit octet counters are read low half first:
 * reading the high half clears both (QEMU {@code read_clr8}).
 *
 * <p>A read no device could have counted is not added: more than {@value #MAX_FRAMES_PER_READ} frames
 * (three minutes at 1 Gb/s line rate, 1.49 million frames a second) or {@value #MAX_OCTETS_PER_READ}
 * octets (nine minutes at 1 Gb/s) since the previous read, which is at most 2 s earlier while the adapter
 * runs. A register file that reads all-ones or noise (the registers-* faults of mock-device/README.md)
 * would otherwise turn into counts nicup prints; such reads are counted in {@link #rejectedReads()}.
 *
 * <p>Thread-safe: {@link #accumulate} and the getters synchronize on this object.
 */
public final class IntelCounters {

    /**
     * One statistics register (pair). The statistics block at 0x04000 has the same layout on the 82574L
     * (datasheet 10.2.6) and the 82576 (datasheet 8.19): one table serves both.
     */
    public enum Counter {
        CRCERRS(0x04000, false), ALGNERRC(0x04004, false), SYMERRS(0x04008, false), RXERRC(0x0400C, false),
        MPC(0x04010, false), COLC(0x04028, false),
        // IEEE 802.3x flow control (docs/hardware-reference.md B.14; ethtool rx/tx_flow_control_xon/xoff)
        XONRXC(0x04048, false), XONTXC(0x0404C, false), XOFFRXC(0x04050, false), XOFFTXC(0x04054, false),
        GPRC(0x04074, false), BPRC(0x04078, false),
        MPRC(0x0407C, false), GPTC(0x04080, false), GORC(0x04088, true), GOTC(0x04090, true),
        RNBC(0x040A0, false), RUC(0x040A4, false), ROC(0x040AC, false), TOR(0x040C0, true), TOT(0x040C8, true),
        TPR(0x040D0, false), TPT(0x040D4, false), MPTC(0x040F0, false), BPTC(0x040F4, false);

        /** Offset of the register (of the low half for 64-bit counters). */
        public final int offset;
        /** A low/high pair. */
        public final boolean wide;

        Counter(int offset, boolean wide) {
            this.offset = offset;
            this.wide = wide;
        }
    }

    /** The most frames a 32-bit counter can have counted since the previous read. */
    public static final long MAX_FRAMES_PER_READ = 1L << 28;
    /** The most octets a 64-bit octet counter can have counted since the previous read. */
    public static final long MAX_OCTETS_PER_READ = 1L << 36;

    private static final Counter[] ALL = Counter.values();
    private final long[] totals = new long[ALL.length];
    private long rejectedReads;

    /** Reads every counter once (clearing it in the chip) and adds it to the totals. */
    public synchronized void accumulate(RegisterSpace regs) {
        for (int i = 0; i < ALL.length; i++) {
            Counter c = ALL[i];
            long v = regs.read32(c.offset) & 0xFFFF_FFFFL;
            if (c.wide) {
                v |= (regs.read32(c.offset + 4) & 0xFFFF_FFFFL) << 32; // high half after the low half
            }
            if (v > (c.wide ? MAX_OCTETS_PER_READ : MAX_FRAMES_PER_READ)) {
                rejectedReads++;                             // all-ones or noise: not a count
                continue;
            }
            totals[i] += v;
        }
    }

    /** Counter reads no device could have counted, left out of the totals. */
    public synchronized long rejectedReads() {
        return rejectedReads;
    }

    /** Reads and discards every counter: what "statistics cleared" means in InitializeEx (docs/hardware-reference.md B.5 step 6). */
    public static void clearChip(RegisterSpace regs) {
        for (Counter c : ALL) {
            regs.read32(c.offset);
            if (c.wide) {
                regs.read32(c.offset + 4);
            }
        }
    }

    public synchronized long get(Counter c) {
        return totals[c.ordinal()];
    }

    /** All totals by register name (GORC/GOTC/TOR/TOT are the 64-bit pairs). */
    public synchronized Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Counter c : ALL) {
            m.put(c.name(), totals[c.ordinal()]);
        }
        return m;
    }
}
