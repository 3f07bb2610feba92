package io.nicup.mock.intel;

import java.util.function.BooleanSupplier;
import java.util.function.IntUnaryOperator;

import static io.nicup.mock.intel.E1000xStatistics.isBroadcast;

/**
 * The receive address filters of an e1000-family MAC (QEMU e1000x_rx_group_filter): RCTL's promiscuous
 * and broadcast bits, the exact receive address entries (RAL/RAH with RAH.AV), then the multicast table
 * array hashed by RCTL.MO. The chips differ only in how many RAL/RAH entries they have and where.
 */
public final class E1000xRxFilter {

    /** RCTL bits, the same on the 82574L and the 82576. */
    private static final int UPE = 0x8;
    private static final int MPE = 0x10;
    private static final int MO_MASK = 0x3000;
    private static final int MO_SHIFT = 12;
    private static final int BAM = 0x8000;
    private static final int RAH_AV = 0x80000000;
    private static final int MTA0 = 0x05200;
    /** MTA hash: bits of the destination address used per RCTL.MO (QEMU {@code e1000x_rx_group_filter}). */
    private static final int[] MTA_SHIFT = {4, 3, 2, 0};

    private final int[] mac;
    private final int rarEntries;
    private final IntUnaryOperator ral;
    private final BooleanSupplier addressesLost;

    /**
     * @param mac the model's register array, indexed by offset / 4
     * @param rarEntries how many receive address entries the chip has
     * @param ral the offset of entry {@code i}'s RAL; its RAH follows at + 4
     * @param addressesLost whether the entries match nothing (the reset-loses-rar fault)
     */
    public E1000xRxFilter(int[] mac, int rarEntries, IntUnaryOperator ral, BooleanSupplier addressesLost) {
        this.mac = mac;
        this.rarEntries = rarEntries;
        this.ral = ral;
        this.addressesLost = addressesLost;
    }

    /** Whether a frame with destination {@code f[0..5]} passes with {@code rctl}. */
    public boolean accepts(int rctl, byte[] f) {
        boolean broadcast = isBroadcast(f);
        boolean multicast = (f[0] & 1) != 0;
        if (broadcast) {
            if ((rctl & BAM) != 0) {
                return true;
            }
        } else if (multicast) {
            if ((rctl & MPE) != 0) {
                return true;
            }
        } else if ((rctl & UPE) != 0) {
            return true;
        }
        int lo = (f[0] & 0xFF) | (f[1] & 0xFF) << 8 | (f[2] & 0xFF) << 16 | (f[3] & 0xFF) << 24;
        int hi = (f[4] & 0xFF) | (f[5] & 0xFF) << 8;
        for (int i = 0; i < rarEntries && !addressesLost.getAsBoolean(); i++) {
            int ralOffset = ral.applyAsInt(i);
            int rah = mac[(ralOffset + 4) >> 2];
            if ((rah & RAH_AV) != 0 && mac[ralOffset >> 2] == lo && (rah & 0xFFFF) == hi) {
                return true;
            }
        }
        if (!multicast) {
            return false; // inexact (hash) filtering applies to multicast addresses only
        }
        int hash = ((((f[5] & 0xFF) << 8) | (f[4] & 0xFF)) >>> MTA_SHIFT[(rctl & MO_MASK) >>> MO_SHIFT]) & 0xFFF;
        return (mac[(MTA0 + 4 * (hash >>> 5)) >> 2] & (1 << (hash & 0x1F))) != 0;
    }
}
