package io.nicup.ndis.miniport.i82576;

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
import io.nicup.vfio.RegisterTimeoutException;

/**
 * The chip-level operations of the 82576 that the miniport (its {@link Chip82576} under the shared
 * {@link io.nicup.ndis.miniport.intel.IntelAdapter}) and the self-tests ({@link E82576Diagnostics}) share:
 * quiesce, software reset with the NVM auto-read, PHY reset, NVM reads (EERD) and checksum, the MAC
 * address, PHY access over MDIC, receive addresses and the multicast table, link set-up, queue enable and
 * loopback. Only BAR0 and the device clock: every step can be tested on the
 * mock and read in a register log.
 *
 * <p>Every wait is a {@link RegisterPoll} with a deadline from the {@link DeviceClock}; a timeout is a
 * {@link RegisterTimeoutException} naming the register, an MDIC error a {@link PhyAccessException}.
 * Sources per method: the Intel 82576 datasheet (rev 2.x) sections, Linux {@code
 * drivers/net/ethernet/intel/igb} ({@code e1000_82575.c}, {@code e1000_mac.c}, {@code e1000_phy.c},
 * {@code igb_main.c}) and QEMU 10 {@code hw/net/igb_core.c} where QEMU's model differs from the chip.
 */
public final class E82576Hardware extends IntelHardwareAccess implements PhyLoopback.Control {

    /** Linux {@code MASTER_DISABLE_TIMEOUT} 800 x 100 us. */
    public static final long MASTER_DISABLE_TIMEOUT_NANOS = 80_000_000L;
    /** CTRL.RST self-clears within microseconds; Linux waits before touching the chip again. */
    public static final long RESET_TIMEOUT_NANOS = 20_000_000L;
    /** Linux {@code AUTO_READ_DONE_TIMEOUT}: 10 ms for EECD.AUTO_RD after a reset. */
    public static final long AUTO_READ_TIMEOUT_NANOS = 10_000_000L;
    /** EERD.DONE (Linux igb_read_nvm_eerd: E1000_NVM_POLL_READ, 100000 x 5 us; shorter here). */
    public static final long EERD_TIMEOUT_NANOS = 10_000_000L;
    /** MDIC.READY (Linux igb_read_phy_reg_mdic: 1920 x 50 us = 96 ms). */
    public static final long MDIC_TIMEOUT_NANOS = 96_000_000L;
    /** How long the PHY may take to answer after a PHY reset (Linux igb_get_cfg_done: 100 ms). */
    public static final long PHY_RESET_TIMEOUT_NANOS = 100_000_000L;
    /** RXDCTL/TXDCTL.ENABLE to read back (datasheet 4.5.9; Linux ixgbe/igbvf poll 10 ms). */
    public static final long QUEUE_ENABLE_TIMEOUT_NANOS = 10_000_000L;
    /** Words the NVM checksum covers (0x00 .. 0x3F). */
    public static final int NVM_CHECKSUM_WORDS = NvmWords.CHECKSUM_WORDS;
    /** Sum of NVM words 0x00..0x3F of a valid image (Linux {@code NVM_SUM}). */
    public static final int NVM_SUM = NvmWords.SUM;
    /** CTRL_EXT.DRV_LOAD: a driver owns the device (Linux {@code E1000_CTRL_EXT_DRV_LOAD}). */
    public static final int CTRL_EXT_DRV_LOAD = 0x1000_0000;

    /** Whether EECD.AUTO_RD was seen after the last reset. */
    private boolean autoReadDone = true;

    public E82576Hardware(RegisterSpace regs, DeviceClock clock) {
        super(regs, clock, Regs82576.STATUS, new ReceiveAddressFilters(regs, Regs82576::RAL, Regs82576::RAH,
                Rah.AV, Regs82576.RAR_ENTRIES, Regs82576::MTA, Regs82576.MTA_ENTRIES, Regs82576.STATUS), Regs82576.EERD,
                EERD_TIMEOUT_NANOS, new MdicTransaction(regs, clock, Regs82576.MDIC, Mdic.READY, Mdic.ERROR,
                MDIC_TIMEOUT_NANOS, E82576Hardware::phyAccessFailed));
    }

    // ---- reset (datasheet 4.3 / 4.5; Linux igb_reset_hw_82575) --------------------------------------

    /**
     * Quiesce before a reset: master disable and wait for STATUS.GIO_MASTER_ENABLE to clear (Linux
     * {@code igb_disable_pcie_master}), mask every legacy and extended cause, stop receive and transmit
     * (TCTL = PSP, as Linux writes), then let DMA settle for 10 ms (Linux {@code usleep_range(10000, 20000)}).
     */
    public void quiesce() {
        disableMastering(Regs82576.CTRL, Ctrl.GIO_MASTER_DISABLE, Status.GIO_MASTER_ENABLE,
                MASTER_DISABLE_TIMEOUT_NANOS);
        write(Regs82576.IMC, Icr.ALL);
        write(Regs82576.EIMC, ~0);
        write(Regs82576.RCTL, 0);
        write(Regs82576.TCTL, Tctl.PSP);
        settleDma();
    }

    /**
     * CTRL.RST, wait until it self-clears, then wait for the NVM auto-read (EECD.AUTO_RD, Linux {@code
     * igb_get_auto_rd_done}, 10 ms), mask interrupts again and clear pending causes. As in Linux, an
     * auto-read that does not complete is not an error by itself ("Auto Read Done did not complete"):
     * QEMU's igb never sets AUTO_RD (its EECD reset value lacks it) yet serves EERD. It is remembered
     * ({@link #autoReadDone()}) and named if the NVM then cannot be read.
     */
    public void reset() {
        write(Regs82576.CTRL, read(Regs82576.CTRL) | Ctrl.RST);
        clock.sleepNanos(1_000_000L);                        // Linux: msleep after the global reset
        RegisterPoll.until(regs, clock, "CTRL.RST", Regs82576.CTRL, Ctrl.RST, 0, RESET_TIMEOUT_NANOS);
        try {
            RegisterPoll.until(regs, clock, "EECD.AUTO_RD", Regs82576.EECD, Eecd.AUTO_RD, Eecd.AUTO_RD,
                    AUTO_READ_TIMEOUT_NANOS);
            autoReadDone = true;
        } catch (RegisterTimeoutException e) {
            autoReadDone = false;
        }
        write(Regs82576.IMC, Icr.ALL);
        write(Regs82576.EIMC, ~0);
        read(Regs82576.ICR);
        read(Regs82576.EICR);
    }

    /** Whether EECD.AUTO_RD was set within 10 ms of the last {@link #reset()}. */
    public boolean autoReadDone() {
        return autoReadDone;
    }

    /**
     * PHY reset (Linux {@code igb_phy_hw_reset}): CTRL.PHY_RST for 100 us, then wait until the PHY answers
     * MDIC again with its identifier (the "PHY reset done" Linux reads from EEMNGCTL.CFG_DONE0, which
     * QEMU does not model), and acknowledge STATUS.PHYRA.
     *
     * @return the PHY identifier register 1
     */
    public int resetPhy() {
        int ctrl = read(Regs82576.CTRL);
        write(Regs82576.CTRL, ctrl | Ctrl.PHY_RST);
        flush();
        clock.sleepNanos(100_000L);
        write(Regs82576.CTRL, ctrl & ~Ctrl.PHY_RST);
        flush();
        long deadline = clock.nanoTime() + PHY_RESET_TIMEOUT_NANOS;
        int id;
        while (true) {
            id = readPhy(Phy.ID1);
            if (id != 0 && id != 0xFFFF) {
                break;
            }
            if (clock.nanoTime() - deadline >= 0) {
                throw phyAccessFailed("PHY did not come out of reset within " + PHY_RESET_TIMEOUT_NANOS / 1_000_000
                        + " ms: PHY_ID1=0x" + Integer.toHexString(id), read(Regs82576.MDIC));
            }
            clock.sleepNanos(1_000_000L);
        }
        write(Regs82576.STATUS, read(Regs82576.STATUS) & ~Status.PHYRA);
        return id;
    }

    // ---- NVM (datasheet 8.2.4 EERD; Linux igb_read_nvm_eerd) ---------------------------------------

    /** The MAC address in NVM words 0-2, low byte first (what the auto-read loads into RAL0/RAH0). */
    public MacAddress nvmMac() {
        return NvmWords.macAddress(this::readNvm);
    }

    /**
     * The permanent MAC address: RAL0/RAH0 as the NVM auto-read loaded them (Linux {@code
     * igb_read_mac_addr}), or NVM words 0-2 when entry 0 is not valid.
     */
    public MacAddress readPermanentMac() {
        MacAddress loaded = receiveAddress(0);
        return loaded != null ? loaded : nvmMac();
    }

    // ---- PHY over MDIC (datasheet 8.2.5; Linux igb_read_phy_reg_mdic) -------------------------------

    /** An MDIC operation that completed with MDIC.ERROR. */
    private static PhyAccessException phyAccessFailed(String op, int reg, int mdic) {
        return phyAccessFailed("MDIC " + op + " of PHY register " + reg + " failed", mdic);
    }

    /** {@code what} failed with MDIC at {@code mdic}, or the PHY did not answer. */
    private static PhyAccessException phyAccessFailed(String what, int mdic) {
        return new PhyAccessException(what + ": MDIC=0x" + Integer.toHexString(mdic) + " (ERROR "
                + ((mdic & Mdic.ERROR) != 0 ? "set" : "clear") + "; the PHY did not answer at address " + Mdic.PHY_ADDRESS
                + ")", mdic);
    }

    // ---- link (Linux igb_setup_copper_link, igb_phy_setup_autoneg, igb_phy_force_speed_duplex_igp) --

    /**
     * Copper link set-up: CTRL.SLU with speed and duplex from the PHY, then autonegotiation (advertise per
     * {@code speedDuplex}; BMCR AUTONEG_EN | RESTART_AN: QEMU brings STATUS.LU up 500 ms after the
     * restart, and only then) or forced speed and duplex (BMCR without autonegotiation, CTRL FRCSPD |
     * FRCDPX). 1000 Mb/s is negotiated, never forced (IEEE 802.3 clause 40).
     *
     * @param speedDuplex {@code *SpeedDuplex}: 0 auto, 1 10 half, 2 10 full, 3 100 half, 4 100 full, 6 1000 full
     */
    public void setUpLink(int speedDuplex) {
        int ctrl = read(Regs82576.CTRL) & ~(Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_SEL | Ctrl.FD | Ctrl.LRST | Ctrl.PHY_RST
                | Ctrl.GIO_MASTER_DISABLE);
        ctrl |= Ctrl.SLU;
        if (speedDuplex >= 1 && speedDuplex <= 4) {
            boolean full = speedDuplex == 2 || speedDuplex == 4;
            boolean hundred = speedDuplex >= 3;
            ctrl |= Ctrl.FRCSPD | Ctrl.FRCDPX | (hundred ? Ctrl.SPD_100 : 0) | (full ? Ctrl.FD : 0);
            write(Regs82576.CTRL, ctrl);
            writePhy(Phy.BMCR, (full ? Phy.BMCR_FULL_DUPLEX : 0) | (hundred ? Phy.BMCR_SPEED_100 : 0));
            return;
        }
        write(Regs82576.CTRL, ctrl);
        writePhy(Phy.ANAR, speedDuplex == 6 ? Phy.ANAR_SELECTOR : Phy.ANAR_ALL_10_100);
        writePhy(Phy.CTRL1000, Phy.CTRL1000_FULL);
        writePhy(Phy.BMCR, Phy.BMCR_AUTONEG_EN | Phy.BMCR_RESTART_AN);
    }

    /** STATUS as read (for messages; nothing in STATUS clears on read). */
    // ---- queues (datasheet 4.5.9 / 4.5.10; Linux igb_configure_rx_ring / igb_configure_tx_ring) ---

    /**
     * Enables a queue: writes {@code thresholds | ENABLE} to its RXDCTL/TXDCTL and polls until ENABLE reads
     * back as set. The datasheet requires this before the tail is bumped; QEMU's igb sets it at once.
     */
    public void enableQueue(String name, int offset, int thresholds) {
        write(offset, thresholds | Rxdctl.ENABLE);
        RegisterPoll.until(regs, clock, name + ".ENABLE", offset, Rxdctl.ENABLE, Rxdctl.ENABLE, QUEUE_ENABLE_TIMEOUT_NANOS);
    }

    /** Disables a queue (Linux writes 0) and polls until ENABLE reads back as clear. */
    public void disableQueue(String name, int offset) {
        write(offset, 0);
        RegisterPoll.until(regs, clock, name + ".ENABLE", offset, Rxdctl.ENABLE, 0, QUEUE_ENABLE_TIMEOUT_NANOS);
    }

    // ---- loopback (Linux igb_integrated_phy_loopback / igb_set_mac_loopback... in igb_ethtool.c) --

    /**
     * PHY loopback at 1000 Mb/s full duplex: BMCR = 0x4140 and the MAC forced to the same speed (Linux
     * {@code igb_integrated_phy_loopback}), then 250 ms for the PHY to settle. QEMU's igb loops transmitted
     * frames back in {@code igb_tx_pkt_send} when BMCR.LOOPBACK is set; it receives them only with
     * STATUS.LU (e1000x_hw_rx_enabled), so the link must be up first.
     */
    @Override
    public void enterPhyLoopback() {
        writePhy(Phy.BMCR, Phy.BMCR_LOOPBACK_1000_FULL);
        int ctrl = read(Regs82576.CTRL) & ~Ctrl.SPD_SEL;
        write(Regs82576.CTRL, ctrl | Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_1000 | Ctrl.FD | Ctrl.SLU);
        flush();
        clock.sleepNanos(250_000_000L);
    }

    @Override
    public void leavePhyLoopback() {
        writePhy(Phy.BMCR, readPhy(Phy.BMCR) & ~Phy.BMCR_LOOPBACK);
        write(Regs82576.CTRL, read(Regs82576.CTRL) & ~(Ctrl.FRCSPD | Ctrl.FRCDPX));
    }

    /** MAC loopback: RCTL.LBM = 01 (QEMU loops back on {@code RCTL & LBM_MAC} too). */
    public void setMacLoopback(boolean on) {
        int rctl = read(Regs82576.RCTL) & ~Rctl.LBM_MASK;
        write(Regs82576.RCTL, on ? rctl | Rctl.LBM_MAC : rctl);
    }
}
