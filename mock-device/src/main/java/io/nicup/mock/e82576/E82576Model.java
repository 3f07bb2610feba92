package io.nicup.mock.e82576;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.MockInterrupts;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.mock.intel.E1000xRxFilter;
import io.nicup.mock.intel.IntelCore;
import io.nicup.mock.intel.IntelCounter;
import io.nicup.mock.intel.IntelLink;
import io.nicup.mock.intel.IntelModel;
import io.nicup.mock.intel.IntelReceiver;
import io.nicup.mock.intel.IntelTransmitter;

import java.util.Map;

import static io.nicup.mock.e82576.Regs.*;

/**
 * A behavioural model of the Intel 82576 Gigabit Ethernet controller (physical function) as a driver
 * observes it through BAR0, DMA and interrupts, with the same depth as the 82574L model. The reference
 * is what QEMU's {@code igb} does (hw/net/igb_core.c, QEMU 8.0 and later), with the 82576 datasheet and
 * Linux igb where QEMU is silent or a real chip is stricter. Deliberate differences from QEMU:
 *
 * <ul>
 *   <li><b>Timing.</b> CTRL.RST, the NVM auto-read (EECD.AUTO_RD), EERD, MDIC and the queue enables
 *       (RXDCTL/TXDCTL.ENABLE) take a little virtual time ({@link Timing}); QEMU completes them at once.
 *       While CTRL.RST is set, register writes are ignored (and noted).</li>
 *   <li><b>NVM auto-read.</b> After a software reset the chip reloads its configuration from the NVM and
 *       then sets EECD.AUTO_RD, as the datasheet describes; RAL0/RAH0 (the permanent address) are loaded
 *       by it. QEMU loads RAL0/RAH0 at once and never sets AUTO_RD. A power-on or function-level reset
 *       completes the auto-read before the device is visible.</li>
 *   <li><b>Link.</b> STATUS.LU needs CTRL.SLU and a PHY link: the PHY links once autonegotiation
 *       (restarted through BMCR.RESTART_AN, 500 ms as in QEMU) completes with the cable in, or at once in
 *       forced speed and duplex (QEMU never sets LU without autonegotiation), or in PHY loopback. After
 *       any reset the link is down until autonegotiation is restarted, as in QEMU. BMSR.LSTATUS follows
 *       the PHY link (QEMU's power-on BMSR says "link" while STATUS.LU is clear). A PHY reset
 *       (CTRL.PHY_RST) returns the PHY registers to power-on values and drops the link; QEMU only sets
 *       STATUS.PHYRA.</li>
 *   <li><b>Queues.</b> Receive goes to the queue receive-side scaling names ({@link E82576Rss}; queue 0
 *       with MRQC 0, as QEMU); transmit runs on every enabled queue 0-15. A frame for a receive queue without
 *       RXDCTL.ENABLE is dropped and counted in that queue's RQDPC (QEMU counts nothing); VMDq is not
 *       modelled. RSS picks the queue without RXCSUM.PCSD too, and only the hash is then left out of the
 *       write-back (QEMU turns RSS off without PCSD). Head write-back (TDWBAL bit 0) is not modelled.</li>
 *   <li><b>Receive FIFO.</b> A frame that finds no free descriptors is held in the packet buffer (RXPBS
 *       KiB) and counted in RNBC, and ICR.RXO is raised; when the buffer is full it is dropped and counted
 *       in MPC. Held frames are delivered, in order, when RDT, RCTL or RXDCTL is written or bus mastering
 *       is turned on (QEMU holds them in the netdev queue and flushes on the same events). Frames that
 *       arrive while the link is down or RCTL.EN is clear are lost. Oversized frames are counted in ROC.</li>
 *   <li><b>FCS.</b> With RCTL.SECRC clear the 4 FCS bytes are the real CRC-32 (QEMU writes zeros).</li>
 *   <li><b>Statistics</b> are clear-on-read, as on the chip; the high half of a 64-bit counter clears
 *       both halves (as QEMU's read_clr8).</li>
 *   <li><b>Interrupts</b> follow QEMU's {@code igb_raise_interrupts}: with GPIE.MSIX_MODE queue events set
 *       EICR bits through IVAR0-7, ICR causes set the EICR bit IVAR_MISC names, and a newly pending EICR &
 *       EIMS bit is signalled on its MSI-X vector, after which EIAC clears it; without MSIX_MODE, ICR &
 *       IMS drives MSI (new causes) or the INTx level. EITR throttling is stored, not applied; EIAM
 *       auto-masking is not modelled.</li>
 *   <li><b>Loopback.</b> With BMCR.LOOPBACK or RCTL.LBM = MAC, transmitted frames enter the receive path
 *       (still filtered; STATUS.LU and RCTL.EN are needed, as in QEMU) and not the wire; frames from the
 *       wire are ignored.</li>
 *   <li><b>Not modelled:</b> TSO (context descriptors give only the checksum offsets), VLAN insertion and
 *       stripping, SR-IOV and its mailboxes, sending PAUSE frames (received ones are honoured: {@code
 *       IntelPause}, docs/hardware-reference.md B.14), time sync, wake-up, management.</li>
 * </ul>
 *
 * <p>The model is a facade over the shared Intel engines ({@link IntelModel}) and the 82576's own parts:
 * the register file with BMCR handling ({@link E82576Registers} over {@link E82576RegisterTable}), the
 * interrupt unit ({@link E82576Interrupts}), the descriptor formats and causes ({@link E82576Queues}), the
 * PHY ({@link Phy}) and the configuration space ({@link E82576ConfigSpace}).
 *
 * <p>Not thread-safe: like the whole mock, it runs in the driver's thread.
 */
public final class E82576Model extends IntelModel<E82576Fault> {

    public static final String NAME = "82576";
    /** {@code E1000_DEV_ID_82576}: the copper function QEMU's igb presents. */
    public static final int DEVICE_ID = 0x10C9;
    public static final int MSIX_VECTORS = Regs.MSIX_VECTORS;
    /** Capability offsets as QEMU's igb places them (hw/net/igb.c). */
    public static final int CAP_PM = 0x40;
    public static final int CAP_MSI = 0x50;
    public static final int CAP_MSIX = 0x70;
    public static final int CAP_PCIE = 0xA0;
    public static final int EXT_CAP_AER = 0x100;
    public static final int EXT_CAP_ARI = 0x150;
    /** Largest frame (without FCS) of the transmit path (QEMU: 64 fragments; 16 KiB here). */
    public static final int MAX_FRAME = E82576Queues.MAX_FRAME;

    /** Model-level counters a test can read; each is the {@link IntelCounter} of the same name. */
    public enum Counter {
        RX_NO_LINK, RX_DISABLED, RX_QUEUE_DISABLED, RX_FILTERED, RX_HELD, RX_MISSED, RX_IGNORED_IN_LOOPBACK,
        RX_NULL_DESCRIPTOR, RX_TRUNCATED, TX_NO_LINK, TX_WITHOUT_IFCS, TX_MALFORMED, TX_OVERSIZE, TX_DMA_FAULT,
        TX_CONTEXT_DESCRIPTORS, DMA_BLOCKED_BUS_MASTER, WRITES_DURING_RESET, UNIMPLEMENTED_ACCESSES, LINK_FLAPS,
        IRQ_STORM_TICKS, MSIX_SIGNALS,
        RX_HEAD_OUTSIDE_RING, TX_HEAD_OUTSIDE_RING, UNSUBMITTED_WRITE_BACKS
    }

    private final Nvm nvm;

    public E82576Model(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] permanent,
            Map<E82576Fault, Long> faults) {
        IntelCore core = new IntelCore(NAME, Regs.LAYOUT, BAR0_SIZE, clock, config, dma, wire, faults, NOTES_KEPT);
        E82576ConfigSpace.build(config);
        MockInterrupts irq = new MockInterrupts(clock, config, MSIX_VECTORS, MSI_VECTORS, true);
        if (faults.containsKey(E82576Fault.MSIX_REFUSED)) {
            irq.refuseMsix();
        }
        E82576Interrupts interrupts = new E82576Interrupts(core, irq);
        E82576Queues queues = new E82576Queues(core, interrupts);
        Phy phy = new Phy();
        super(core, irq, phy, permanent.clone(), faults, new Parts(() -> interrupts.raise(ICR, Icr.LSC), IntelLink.Policy.IGB,
                queues, queues, new E1000xRxFilter(core.regs, RAR_ENTRIES, Regs::ral, () -> core.rarLost), QUEUES, MAX_FRAME, MAX_FRAME,
                interrupts::stormResignal, interrupts::updateLegacyLine, MSIX_VECTORS));
        this.nvm = new Nvm(permanentMac(), DEVICE_ID, faults.containsKey(E82576Fault.NVM_CHECKSUM));
        E82576Registers registers = new E82576Registers(engines(), permanentMac(), nvm, phy, interrupts);
        powerOn(registers);
    }

    // ------------------------------------------------------------------ test-side inspection

    /** The stored value of a BAR0 register (canonical or alias offset), without read side effects. */
    @Override
    public int peek(int offset) {
        return core.regs[canonical(offset) >> 2];
    }

    public Nvm nvm() {
        return nvm;
    }

}
