package io.nicup.mock.intel;

/**
 * The statistics registers of an e1000-family MAC, kept in the model's register array, and the updates
 * QEMU's e1000x helpers make to them. The 82574L and the 82576 place these counters at the same offsets
 * (datasheets, "Statistics Registers"), so one set of offsets serves both. A counter saturates at all
 * ones instead of wrapping.
 */
public final class E1000xStatistics {

    private static final int GPRC = 0x04074;
    private static final int BPRC = 0x04078;
    private static final int MPRC = 0x0407C;
    private static final int GPTC = 0x04080;
    private static final int GORCL = 0x04088;
    private static final int GOTCL = 0x04090;
    private static final int TORL = 0x040C0;
    private static final int TOTL = 0x040C8;
    private static final int TPR = 0x040D0;
    private static final int TPT = 0x040D4;
    private static final int PRC64 = 0x0405C;
    private static final int PTC64 = 0x040D8;
    private static final int MPTC = 0x040F0;
    private static final int BPTC = 0x040F4;
    /** TCP segmentation contexts sent and failed (docs/hardware-reference.md B.17). */
    private static final int TSCTC = 0x040F8;
    private static final int TSCTFC = 0x040FC;

    private final int[] mac;

    /** @param mac the model's register array, indexed by offset / 4 */
    public E1000xStatistics(int[] mac) {
        this.mac = mac;
    }

    public static boolean isBroadcast(byte[] f) {
        return (f[0] & f[1] & f[2] & f[3] & f[4] & f[5] & 0xFF) == 0xFF;
    }

    /** One more in the 32-bit counter at {@code offset}, saturating. */
    public void increment(int offset) {
        int idx = offset >> 2;
        if (mac[idx] != -1) {
            mac[idx]++;
        }
    }

    /** A 64-bit octet counter in two registers, saturating (QEMU e1000x_grow_8reg_if_not_full). */
    public void addOctets(int lowOffset, int bytes) {
        int lo = lowOffset >> 2;
        long sum = (mac[lo] & 0xFFFFFFFFL) | ((long) mac[lo + 1] << 32);
        long next = sum + bytes;
        if (Long.compareUnsigned(next, sum) < 0) {
            next = -1L;
        }
        mac[lo] = (int) next;
        mac[lo + 1] = (int) (next >>> 32);
    }

    /** The size bins 64, 65-127, 128-255, 256-511, 512-1023, 1024-max (QEMU e1000x_increase_size_stats). */
    public void incrementSizeBin(int firstBin, int sizeWithFcs) {
        int bin;
        if (sizeWithFcs > 1023) {
            bin = 5;
        } else if (sizeWithFcs > 511) {
            bin = 4;
        } else if (sizeWithFcs > 255) {
            bin = 3;
        } else if (sizeWithFcs > 127) {
            bin = 2;
        } else if (sizeWithFcs > 64) {
            bin = 1;
        } else if (sizeWithFcs == 64) {
            bin = 0;
        } else {
            return;
        }
        increment(firstBin + 4 * bin);
    }

    /** A frame written to the host (QEMU e1000x_update_rx_total_stats): good, total, octets, kind, size bin. */
    public void received(byte[] frame, int sizeWithFcs) {
        increment(GPRC);
        increment(TPR);
        addOctets(GORCL, sizeWithFcs);
        addOctets(TORL, sizeWithFcs);
        if (isBroadcast(frame)) {
            increment(BPRC);
        } else if ((frame[0] & 1) != 0) {
            increment(MPRC);
        }
        incrementSizeBin(PRC64, sizeWithFcs);
    }

    /** A frame sent (QEMU e1000e/igb_on_tx_done_update_stats): total, good, octets, kind, size bin. */
    public void transmitted(byte[] frame, int sizeWithFcs) {
        increment(TPT);
        increment(GPTC);
        addOctets(TOTL, sizeWithFcs);
        addOctets(GOTCL, sizeWithFcs);
        if (isBroadcast(frame)) {
            increment(BPTC);
        } else if ((frame[0] & 1) != 0) {
            increment(MPTC);
        }
        incrementSizeBin(PTC64, sizeWithFcs);
    }

    /** A TCP segmentation whose last segment was sent: TSCTC (its segments count in GPTC one by one). */
    public void segmentationSent() {
        increment(TSCTC);
    }

    /** A TCP segmentation the context could not describe: TSCTFC. */
    public void segmentationFailed() {
        increment(TSCTFC);
    }
}
