package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import io.nicup.vfio.RegisterSpace;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * The unicast receive addresses (RAL/RAH pairs) and the 4096-bit multicast table (MTA) of an Intel
 * gigabit MAC: the same register formats and the same procedure on the 82574L and the 82576 (Linux
 * {@code e1000e_rar_set}/{@code igb_rar_set}, {@code e1000_hash_mc_addr}/{@code igb_hash_mc_addr}); only
 * where the registers sit differs, so each family passes its own offset functions. Every write is pushed
 * out with a STATUS read.
 */
public final class ReceiveAddressFilters {

    private final RegisterSpace regs;
    private final IntUnaryOperator ral;
    private final IntUnaryOperator rah;
    private final int addressValid;
    private final int rarEntries;
    private final IntUnaryOperator mta;
    private final int mtaEntries;
    private final int status;

    /**
     * @param ral offset of RAL {@code i}
     * @param rah offset of RAH {@code i}
     * @param addressValid RAH.AV: the entry is valid and matches
     * @param rarEntries receive address entries (RAL/RAH pairs)
     * @param mta offset of MTA {@code i}
     * @param mtaEntries MTA registers (128: 4096 bits)
     * @param status offset of STATUS, read to flush posted writes
     */
    public ReceiveAddressFilters(RegisterSpace regs, IntUnaryOperator ral, IntUnaryOperator rah, int addressValid,
            int rarEntries, IntUnaryOperator mta, int mtaEntries, int status) {
        this.regs = regs;
        this.ral = ral;
        this.rah = rah;
        this.addressValid = addressValid;
        this.rarEntries = rarEntries;
        this.mta = mta;
        this.mtaEntries = mtaEntries;
        this.status = status;
    }

    /** Receive address entries (RAL/RAH pairs). */
    public int receiveAddresses() {
        return rarEntries;
    }

    /** Entries of the multicast table array. */
    public int multicastTableEntries() {
        return mtaEntries;
    }

    /** RAL/RAH entry {@code index} = {@code mac} with AV, or cleared when {@code mac} is null. */
    public void setReceiveAddress(int index, MacAddress mac) {
        if (mac == null) {
            regs.write32(rah.applyAsInt(index), 0);
            regs.write32(ral.applyAsInt(index), 0);
            return;
        }
        byte[] b = mac.bytes();
        int low = b[0] & 0xFF | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
        int high = b[4] & 0xFF | (b[5] & 0xFF) << 8;
        // Linux writes RAL first and RAH (with AV) last, so the entry never matches half written.
        regs.write32(ral.applyAsInt(index), low);
        flush();
        regs.write32(rah.applyAsInt(index), high | addressValid);
        flush();
    }

    /** The address in RAL/RAH entry {@code index}, or null when AV is clear. */
    public MacAddress receiveAddress(int index) {
        int high = regs.read32(rah.applyAsInt(index));
        if ((high & addressValid) == 0) {
            return null;
        }
        long low = regs.read32(ral.applyAsInt(index)) & 0xFFFF_FFFFL;
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = v << 8 | low >>> 8 * i & 0xFF;
        }
        v = v << 8 | high & 0xFF;
        v = v << 8 | high >>> 8 & 0xFF;
        return new MacAddress(v);
    }

    /**
     * The MTA bit of a multicast address with RCTL.MO = 0: bits 47:36 of the address (Linux
     * {@code e1000_hash_mc_addr}: {@code (addr[4] >> 4 | addr[5] << 4) & 0xFFF}; QEMU {@code
     * e1000x_rx_group_filter} with {@code mta_shift[0] = 4}).
     */
    public static int multicastHash(byte[] address, int offset) {
        return ((address[offset + 4] & 0xFF) >>> 4 | (address[offset + 5] & 0xFF) << 4) & 0xFFF;
    }

    /** Writes the MTA registers from a list of 6-byte addresses ({@code count} of them). */
    public void writeMulticastTable(byte[] addresses, int count, int[] scratch) {
        Arrays.fill(scratch, 0, mtaEntries, 0);
        for (int i = 0; i < count; i++) {
            int hash = multicastHash(addresses, i * MacAddress.LENGTH);
            scratch[hash >>> 5] |= 1 << (hash & 0x1F);
        }
        for (int i = 0; i < mtaEntries; i++) {
            regs.write32(mta.applyAsInt(i), scratch[i]);
        }
        flush();
    }

    private void flush() {
        regs.read32(status);
    }
}
