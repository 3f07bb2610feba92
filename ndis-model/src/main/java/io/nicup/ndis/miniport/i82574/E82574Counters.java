package io.nicup.ndis.miniport.i82574;

import io.nicup.vfio.RegisterSpace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The 82574L statistics registers, accumulated in software. The chip's counters clear on read (QEMU:
 * {@code e1000e_macreg_readops}, reference B.6), so every read is added to a 64-bit total here; they are
 * read at every statistics query, at every CheckForHang (a 32-bit counter at 1 Gb/s cannot wrap in 2 s)
 * and before every CTRL.RST (which clears them). The 64-bit octet counters are read low half first:
 * reading the high half clears both (QEMU {@code read_clr8}).
 *
 * <p>Thread-safe: {@link #accumulate} and the getters synchronize on this object.
 */
public final class E82574Counters {

    /** One statistics register (pair). */
    public enum Counter {
        CRCERRS(Regs82574.CRCERRS, false), ALGNERRC(Regs82574.ALGNERRC, false), SYMERRS(Regs82574.SYMERRS, false),
        RXERRC(Regs82574.RXERRC, false), MPC(Regs82574.MPC, false), COLC(Regs82574.COLC, false),
        GPRC(Regs82574.GPRC, false), BPRC(Regs82574.BPRC, false), MPRC(Regs82574.MPRC, false),
        GPTC(Regs82574.GPTC, false), GORC(Regs82574.GORCL, true), GOTC(Regs82574.GOTCL, true),
        RNBC(Regs82574.RNBC, false), RUC(Regs82574.RUC, false), ROC(Regs82574.ROC, false),
        TOR(Regs82574.TORL, true), TOT(Regs82574.TOTL, true), TPR(Regs82574.TPR, false), TPT(Regs82574.TPT, false),
        MPTC(Regs82574.MPTC, false), BPTC(Regs82574.BPTC, false);

        /** Offset of the register (of the low half for 64-bit counters). */
        public final int offset;
        /** A low/high pair. */
        public final boolean wide;

        Counter(int offset, boolean wide) {
            this.offset = offset;
            this.wide = wide;
        }
    }

    private static final Counter[] ALL = Counter.values();
    private final long[] totals = new long[ALL.length];

    /** Reads every counter once (clearing it in the chip) and adds it to the totals. */
    public synchronized void accumulate(RegisterSpace regs) {
        for (int i = 0; i < ALL.length; i++) {
            Counter c = ALL[i];
            long v = regs.read32(c.offset) & 0xFFFF_FFFFL;
            if (c.wide) {
                v |= (regs.read32(c.offset + 4) & 0xFFFF_FFFFL) << 32; // high half after the low half
            }
            totals[i] += v;
        }
    }

    /** Reads and discards every counter: what "statistics cleared" means in InitializeEx (reference B.5 step 6). */
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
