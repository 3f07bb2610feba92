package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.RegisterPoll;
import io.nicup.vfio.RegisterSpace;
import java.util.function.IntUnaryOperator;

/**
 * What both chips' hardware classes do the same way at their own offsets: register access and the
 * posted-write flush, the receive address and multicast filters, STATUS decoding (LU, FD and the
 * speed bits sit at the same positions on the 82574L, datasheet 10.2.2.2, and the 82576, datasheet
 * 8.2.2), NVM words through EERD and PHY registers through MDIC. Reset, PHY set-up, queues and loopback
 * stay with each chip.
 */
public abstract class IntelHardwareAccess implements IntelHardware {

    /** STATUS.FD: full duplex. */
    public static final int STATUS_FD = 0x0000_0001;
    /** STATUS.LU: link up. */
    public static final int STATUS_LU = 0x0000_0002;
    /** STATUS.SPEED (bits 7:6): 00 10 Mb/s, 01 100 Mb/s, 1x 1000 Mb/s. */
    public static final int STATUS_SPEED_MASK = 0x0000_00C0;
    public static final int STATUS_SPEED_100 = 0x0000_0040;

    protected final RegisterSpace regs;
    protected final DeviceClock clock;
    private final int status;
    private final ReceiveAddressFilters addresses;
    private final int eerd;
    private final long eerdTimeoutNanos;
    private final MdicTransaction mdic;

    /**
     * @param status the offset of STATUS
     * @param addresses the chip's receive address and multicast table registers
     * @param eerd the offset of EERD and how long a read may take
     * @param mdic PHY access over the chip's MDIC
     */
    protected IntelHardwareAccess(RegisterSpace regs, DeviceClock clock, int status, ReceiveAddressFilters addresses,
            int eerd, long eerdTimeoutNanos, MdicTransaction mdic) {
        this.regs = regs;
        this.clock = clock;
        this.status = status;
        this.addresses = addresses;
        this.eerd = eerd;
        this.eerdTimeoutNanos = eerdTimeoutNanos;
        this.mdic = mdic;
    }

    @Override
    public final RegisterSpace regs() {
        return regs;
    }

    @Override
    public final DeviceClock clock() {
        return clock;
    }

    @Override
    public final int read(int offset) {
        return regs.read32(offset);
    }

    @Override
    public final void write(int offset, int value) {
        regs.write32(offset, value);
    }

    @Override
    public final int statusRegister() {
        return status;
    }

    /** Reads STATUS to push posted writes out (Linux {@code e1e_flush}, {@code wrfl}). */
    @Override
    public final void flush() {
        regs.read32(status);
    }

    /**
     * The start of every quiesce: CTRL.GIO_MASTER_DISABLE, then the wait for STATUS.GIO_MASTER_ENABLE to
     * clear (Linux {@code e1000e_disable_pcie_master}, {@code igb_disable_pcie_master}).
     */
    protected final void disableMastering(int ctrl, int masterDisable, int masterEnable, long timeoutNanos) {
        write(ctrl, read(ctrl) | masterDisable);
        RegisterPoll.until(regs, clock, "STATUS.GIO_MASTER_ENABLE", status, masterEnable, 0, timeoutNanos);
    }

    /** The end of every quiesce: posted writes out, then 10 ms for in-flight DMA to settle (as Linux sleeps). */
    protected final void settleDma() {
        flush();
        clock.sleepNanos(10_000_000L);
    }

    @Override
    public final int receiveAddresses() {
        return addresses.receiveAddresses();
    }

    @Override
    public final int multicastTableEntries() {
        return addresses.multicastTableEntries();
    }

    /**
     * After a reset (Linux {@code e1000e_get_hw_control}/{@code igb_get_hw_control}, {@code
     * e1000_clear_vfta}/{@code igb_clear_vfta}): CTRL_EXT.DRV_LOAD tells the firmware a driver owns the
     * device, then every VLAN filter table entry is cleared.
     */
    public final void takeOwnershipAndClearVlanFilters(int ctrlExt, int drvLoad, IntUnaryOperator vfta,
            int vftaEntries) {
        write(ctrlExt, read(ctrlExt) | drvLoad);
        for (int i = 0; i < vftaEntries; i++) {
            write(vfta.applyAsInt(i), 0);
        }
    }

    /** One NVM word through EERD, polling DONE with a deadline (Linux {@code e1000e_read_nvm_eerd}). */
    public final int readNvm(int word) {
        write(eerd, Eerd.read(word));
        int v = RegisterPoll.until(regs, clock, "EERD.DONE", eerd, Eerd.DONE, Eerd.DONE, eerdTimeoutNanos);
        return Eerd.data(v);
    }

    /** Sum of NVM words 0x00..0x3F, modulo 2^16 (Linux {@code e1000e_validate_nvm_checksum_generic}). */
    @Override
    public final int nvmChecksum() {
        return NvmWords.checksum(this::readNvm);
    }

    /** Reads PHY register {@code reg} over MDIC (PHY address 1, as QEMU requires). */
    public final int readPhy(int reg) {
        return mdic.run(Mdic.read(reg), "read", reg) & Mdic.DATA_MASK;
    }

    /** Writes PHY register {@code reg} over MDIC. */
    public final void writePhy(int reg, int data) {
        mdic.run(Mdic.write(reg, data), "write", reg);
    }

    /** RAL/RAH entry {@code index} = {@code mac} with AV, or cleared when {@code mac} is null. */
    @Override
    public final void setReceiveAddress(int index, MacAddress mac) {
        addresses.setReceiveAddress(index, mac);
    }

    /** The address in RAL/RAH entry {@code index}, or null when AV is clear. */
    @Override
    public final MacAddress receiveAddress(int index) {
        return addresses.receiveAddress(index);
    }

    /** Writes the MTA registers from {@code count} 6-byte addresses. */
    @Override
    public final void writeMulticastTable(byte[] multicast, int count, int[] scratch) {
        addresses.writeMulticastTable(multicast, count, scratch);
    }

    /**
     * The MTA bit of a multicast address with RCTL.MO = 0: address bits 47:36 (Linux
     * {@code e1000_hash_mc_addr}, {@code igb_hash_mc_addr}; QEMU {@code e1000x_rx_group_filter}).
     */
    public static int multicastHash(byte[] address, int offset) {
        return ReceiveAddressFilters.multicastHash(address, offset);
    }

    @Override
    public final int readStatus() {
        return read(status);
    }

    /** Whether STATUS.LU is set. */
    @Override
    public final boolean linkUp() {
        return (read(status) & STATUS_LU) != 0;
    }

    /** Link speed in bits per second from STATUS bits 7:6. */
    @Override
    public final long linkSpeed() {
        int s = read(status) & STATUS_SPEED_MASK;
        return s == 0 ? 10_000_000L : s == STATUS_SPEED_100 ? 100_000_000L : 1_000_000_000L;
    }

    /** Whether STATUS.FD (full duplex) is set. */
    @Override
    public final boolean fullDuplex() {
        return (read(status) & STATUS_FD) != 0;
    }
}
