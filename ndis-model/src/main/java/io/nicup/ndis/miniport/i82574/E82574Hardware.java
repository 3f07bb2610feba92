package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.intel.IntelHardwareAccess;
import io.nicup.ndis.miniport.intel.Mdic;
import io.nicup.ndis.miniport.intel.MdicTransaction;
import io.nicup.ndis.miniport.intel.NvmWords;
import io.nicup.ndis.miniport.intel.PhyAccessException;
import io.nicup.ndis.miniport.intel.PhyLoopback;
import io.nicup.ndis.miniport.intel.ReceiveAddressFilters;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.RegisterPoll;
import io.nicup.vfio.RegisterSpace;

/**
 * The chip-level operations of the 82574L that the miniport (its {@link Chip82574} under the shared
 * {@link io.nicup.ndis.miniport.intel.IntelAdapter}) and the self-tests ({@link E82574Diagnostics}) share:
 * quiesce, software reset, NVM (EERD) reads and checksum, PHY access over MDIC, receive addresses and
 * the multicast table, link set-up and loopback. No NDIS here: only BAR0 and the device clock, so every
 * step can be tested on the mock and traced in a register log.
 *
 * <p>Every wait is a {@link RegisterPoll} with a deadline taken from the {@link DeviceClock}; a timeout is a
 * {@link io.nicup.vfio.RegisterTimeoutException} naming the register, and an MDIC error is a
 * {@link PhyAccessException}. Sources are cited per method: the Intel 82574 datasheet (rev 3.x) section
 * numbers, Linux {@code drivers/net/ethernet/intel/e1000e} functions, QEMU 7.2 {@code hw/net/e1000e_core.c},
 * all as summarised in {@code docs/hardware-reference.md} section B ("docs/hardware-reference.md B.n").
 */
public final class E82574Hardware extends IntelHardwareAccess implements PhyLoopback.Control {

    /** Linux {@code MASTER_DISABLE_TIMEOUT} 800 x 100 us. */
    public static final long MASTER_DISABLE_TIMEOUT_NANOS = 80_000_000L;
    /** CTRL.RST self-clears within microseconds on silicon; Linux waits 1-2 ms before touching the chip. */
    public static final long RESET_TIMEOUT_NANOS = 20_000_000L;
    /** Linux {@code AUTO_READ_DONE_TIMEOUT} 10 ms; generous here because QEMU under TCG is slow. */
    public static final long AUTO_READ_TIMEOUT_NANOS = 50_000_000L;
    /** Linux {@code E1000_NVM_POLL_READ} loop: 100000 x 5 us. */
    public static final long EERD_TIMEOUT_NANOS = 10_000_000L;
    /** Linux {@code E1000_GEN_POLL_TIMEOUT} x 50 us for MDIC: 640 x 50 us = 32 ms. */
    public static final long MDIC_TIMEOUT_NANOS = 32_000_000L;
    /** Words in the 82574L NVM that the checksum covers (0x00 .. 0x3F). */
    public static final int NVM_CHECKSUM_WORDS = NvmWords.CHECKSUM_WORDS;
    /** Sum of NVM words 0x00..0x3F on a valid image (Linux {@code NVM_SUM}). */
    public static final int NVM_SUM = NvmWords.SUM;
    /** Receive address registers (RAL/RAH pairs) of the 82574L. */
    public static final int RAR_ENTRIES = 16;

    /** PHY registers beyond {@link Phy}: advertisement (IEEE 802.3 clause 22). */
    static final int PHY_ANAR = 4;
    static final int PHY_GBCR = 9;
    /** ANAR: selector 802.3, 10/100 half and full. */
    static final int ANAR_ALL_10_100 = 0x01E1;
    static final int ANAR_SELECTOR = 0x0001;
    static final int ANAR_10_HALF = 0x0020;
    static final int ANAR_10_FULL = 0x0040;
    static final int ANAR_100_HALF = 0x0080;
    static final int ANAR_100_FULL = 0x0100;
    /** GBCR (1000BASE-T control): advertise 1000 full. */
    static final int GBCR_1000_FULL = 0x0200;
    static final int BMCR_SPEED_100 = 0x2000;
    static final int BMCR_SPEED_1000 = 0x0040;
    static final int BMCR_FULL_DUPLEX = 0x0100;

    /** CTRL_EXT.DRV_LOAD: the driver has taken the device (Linux {@code E1000_CTRL_EXT_DRV_LOAD}). */
    static final int CTRL_EXT_DRV_LOAD = 0x1000_0000;


    public E82574Hardware(RegisterSpace regs, DeviceClock clock) {
        super(regs, clock, Regs82574.STATUS, new ReceiveAddressFilters(regs, Regs82574::RAL, Regs82574::RAH,
                Rah.AV, RAR_ENTRIES, Regs82574::MTA, Regs82574.MTA_ENTRIES, Regs82574.STATUS), Regs82574.EERD,
                EERD_TIMEOUT_NANOS, new MdicTransaction(regs, clock, Regs82574.MDIC, Mdic.READY, Mdic.ERROR,
                MDIC_TIMEOUT_NANOS, E82574Hardware::phyAccessFailed));
    }

    // ---- reset (docs/hardware-reference.md B.5 steps 1-5; Linux e1000_reset_hw_82571) -----------------------------

    /**
     * Step 1, quiesce: master disable (Linux {@code e1000e_disable_pcie_master}), mask every interrupt,
     * stop receive and transmit, then let in-flight DMA settle for 10 ms (Linux {@code usleep_range(10000,
     * 11000)} in {@code e1000_reset_hw_82571}).
     */
    public void quiesce() {
        disableMastering(Regs82574.CTRL, Ctrl.GIO_MASTER_DISABLE, Status.GIO_MASTER_ENABLE,
                MASTER_DISABLE_TIMEOUT_NANOS);
        write(Regs82574.IMC, Icr.ALL);
        write(Regs82574.RCTL, 0);
        write(Regs82574.TCTL, read(Regs82574.TCTL) & ~Tctl.EN);
        settleDma();
    }

    /**
     * Steps 3-5: CTRL.RST, wait until it self-clears, wait for the NVM auto-read (EECD.AUTO_RD, datasheet
     * 5.6 / Linux {@code e1000e_get_auto_rd_done}), mask interrupts again and clear pending causes.
     * Deviations: the 82574 SW/FW semaphore (step 2, EXTCNF_CTRL) is not taken: QEMU does not model it
     * and no firmware shares the PHY here. Linux sleeps 25 ms after AUTO_RD on 82573/4/83 (a silicon
     * errata); kept. On Debian's QEMU 7.2.22 RST resets every register (docs/hardware-reference.md B.10), so everything is
     * programmed after this.
     */
    public void reset() {
        write(Regs82574.CTRL, read(Regs82574.CTRL) | Ctrl.RST);
        // Datasheet: wait at least 1 us before the next access; Linux msleep(1)s.
        clock.sleepNanos(1_000_000L);
        RegisterPoll.until(regs, clock, "CTRL.RST", Regs82574.CTRL, Ctrl.RST, 0, RESET_TIMEOUT_NANOS);
        RegisterPoll.until(regs, clock, "EECD.AUTO_RD", Regs82574.EECD, Eecd.AUTO_RD, Eecd.AUTO_RD,
                AUTO_READ_TIMEOUT_NANOS);
        clock.sleepNanos(25_000_000L);
        write(Regs82574.IMC, Icr.ALL);
        read(Regs82574.ICR);
    }

    // ---- NVM (datasheet 10.2.2.x EERD; Linux e1000e_read_nvm_eerd) ---------------------------------

    /** The permanent MAC: NVM words 0-2, low byte first (Linux {@code e1000_read_mac_addr_generic}). */
    public MacAddress readPermanentMac() {
        return NvmWords.macAddress(this::readNvm);
    }

    // ---- PHY over MDIC (datasheet 10.2.2.7; Linux e1000e_read_phy_reg_mdic) -------------------------

    /** An MDIC operation that completed with MDIC.ERROR. */
    private static PhyAccessException phyAccessFailed(String op, int reg, int mdic) {
        return new PhyAccessException("MDIC " + op + " of PHY register " + reg + " failed: MDIC=0x"
                + Integer.toHexString(mdic) + " (ERROR set; the PHY did not answer at address " + Mdic.PHY_ADDRESS + ")",
                mdic);
    }

    // ---- link (Linux e1000e_setup_copper_link, e1000e_phy_setup_autoneg, e1000e_phy_force_speed_duplex) --

    /**
     * Copper link set-up: {@code CTRL.SLU} (set link up; the MAC takes speed and duplex from the PHY),
     * then either autonegotiation (advertise per {@code speedDuplex}, BMCR AUTONEG_EN | RESTART_AN; the
     * link comes up when negotiation completes, about 500 ms on QEMU) or forced speed and duplex (BMCR
     * without autonegotiation; CTRL FRCSPD | FRCDPX with the same speed). 1000 Mb/s cannot be forced on
     * copper (IEEE 802.3 clause 40 needs negotiation), so {@code *SpeedDuplex} 6 negotiates advertising
     * only 1000 full, as Linux does.
     *
     * @param speedDuplex the {@code *SpeedDuplex} value: 0 auto, 1 10 half, 2 10 full, 3 100 half,
     *     4 100 full, 6 1000 full
     */
    public void setUpLink(int speedDuplex) {
        int ctrl = read(Regs82574.CTRL) & ~(Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_SEL | Ctrl.FD | Ctrl.LRST
                | Ctrl.PHY_RST | Ctrl.ILOS);
        ctrl |= Ctrl.SLU;
        if (speedDuplex >= 1 && speedDuplex <= 4) {
            boolean full = speedDuplex == 2 || speedDuplex == 4;
            boolean hundred = speedDuplex >= 3;
            int bmcr = (full ? BMCR_FULL_DUPLEX : 0) | (hundred ? BMCR_SPEED_100 : 0);
            ctrl |= Ctrl.FRCSPD | Ctrl.FRCDPX | (hundred ? Ctrl.SPD_100 : 0) | (full ? Ctrl.FD : 0);
            write(Regs82574.CTRL, ctrl);
            writePhy(Phy.BMCR, bmcr);
            return;
        }
        write(Regs82574.CTRL, ctrl);
        int anar = speedDuplex == 6 ? ANAR_SELECTOR : ANAR_ALL_10_100;
        writePhy(PHY_ANAR, anar);
        writePhy(PHY_GBCR, GBCR_1000_FULL);
        writePhy(Phy.BMCR, Phy.BMCR_AUTONEG_EN | Phy.BMCR_RESTART_AN);
    }

    /** STATUS as read (for messages; nothing in STATUS clears on read). */
    // ---- loopback (Linux e1000_integrated_phy_loopback / e1000_set_mac_loopback; docs/hardware-reference.md B.5, B.6) --

    /**
     * PHY loopback at 1000 Mb/s full duplex: BMCR = 0x4140, then force the MAC to the same speed. The
     * 82574 page-769/776 writes Linux adds for {@code e1000_phy_bm} are left out: QEMU does not model
     * those pages (MDIC ERROR, docs/hardware-reference.md B.5). Linux waits 250 ms after the BMCR write for the PHY.
     */
    @Override
    public void enterPhyLoopback() {
        writePhy(Phy.BMCR, Phy.BMCR_LOOPBACK_1000_FULL);
        clock.sleepNanos(250_000_000L);
        int ctrl = read(Regs82574.CTRL) & ~Ctrl.SPD_SEL;
        write(Regs82574.CTRL, ctrl | Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_1000 | Ctrl.FD | Ctrl.SLU);
        flush();
    }

    /** Leaves PHY loopback (clears BMCR.LOOPBACK and the forced MAC speed). */
    @Override
    public void leavePhyLoopback() {
        writePhy(Phy.BMCR, readPhy(Phy.BMCR) & ~Phy.BMCR_LOOPBACK);
        write(Regs82574.CTRL, read(Regs82574.CTRL) & ~(Ctrl.FRCSPD | Ctrl.FRCDPX));
    }

    /** MAC loopback: RCTL.LBM = 01 (Linux {@code e1000_set_mac_loopback} for copper uses the PHY; QEMU models both). */
    public void setMacLoopback(boolean on) {
        int rctl = read(Regs82574.RCTL) & ~Rctl.LBM_TCVR;
        write(Regs82574.RCTL, on ? rctl | Rctl.LBM_MAC : rctl);
    }
}
