package io.nicup.mock.e82574;

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
import io.nicup.mock.intel.IntelTrafficFaults;
import io.nicup.mock.intel.IntelTransmitter;

import java.util.Map;

import static io.nicup.mock.e82574.Regs.*;

/**
 * A behavioural model of the Intel 82574L Gigabit Ethernet controller as a driver observes it through
 * BAR0, DMA and interrupts. The reference is what QEMU 7.2's e1000e does (hw/net/e1000e_core.c, as
 * summarised in the project reference, section B), with the Intel 82574 datasheet and Linux e1000e
 * where QEMU is silent or where a real chip is stricter. Every deliberate difference from QEMU is
 * listed here:
 *
 * <ul>
 *   <li><b>Timing.</b> CTRL.RST, the NVM auto-read (EECD.AUTO_RD), EERD, EEWR and MDIC take a little
 *       virtual time ({@link Timing}); QEMU completes them synchronously. While CTRL.RST is set, register
 *       writes are ignored (and noted).</li>
 *   <li><b>Software reset</b> (CTRL.RST) resets every register, the PHY (BMCR back to 0x1140), the NVM
 *       auto-read state and the statistics, except PBA/PBS/FLA: the behaviour observed on Debian's QEMU
 *       7.2.22 (docs/hardware-reference.md B.10). {@link #functionReset()} (the bus reset) is the same but synchronous.</li>
 *   <li><b>Link.</b> STATUS.LU needs CTRL.SLU and the PHY's link (or PHY loopback). A PHY reset
 *       (BMCR.RESET) restarts autonegotiation like a real PHY; QEMU ignores it. Autonegotiation takes
 *       500 ms, as in QEMU.</li>
 *   <li><b>Statistics</b> are clear-on-read as in QEMU, including MPC, RNBC and the error counters
 *       (QEMU never increments those and reads them without clearing). The high half of a 64-bit octet
 *       counter clears both halves. Size bins (PRC/PTC) count the frame with its 4-byte FCS, as the chip
 *       does.</li>
 *   <li><b>Receive FIFO.</b> A frame that finds no free descriptors is held in the on-chip receive
 *       buffer (PBA.RXA KiB, 20 KiB at power-on) and counted in RNBC, and ICR.RXO is raised (as QEMU
 *       raises it). When the buffer is full the frame is dropped and counted in MPC. Held frames are
 *       delivered, in order, when RDT or RCTL is written or bus mastering is turned on. Frames that
 *       arrive while the link is down or RCTL.EN is clear are lost.</li>
 *   <li><b>FCS.</b> With RCTL.SECRC clear the 4 FCS bytes written after the frame are the real CRC-32
 *       (QEMU writes zeros).</li>
 *   <li><b>Interrupts.</b> IMS accepts every cause bit 0-24 (see {@link Icr#IMS_VALID}). Interrupt delay
 *       timers (RDTR, RADV, TIDV, TADV) and throttling (ITR, EITR) are stored but not applied: causes are
 *       signalled at once.</li>
 *   <li><b>Loopback.</b> In PHY loopback (BMCR.LOOPBACK) or MAC loopback (RCTL.LBM) transmitted frames
 *       enter the receive path (still filtered) and not the wire, and frames from the wire are ignored.
 *       PHY loopback shows link up.</li>
 *   <li><b>Not modelled:</b> TSO (context descriptors give only the checksum offsets), VLAN
 *       insertion/stripping and VLAN filtering, packet-split
 *       receive descriptors (treated as extended), sending PAUSE frames (received ones are honoured: {@code
 *       IntelPause}, docs/hardware-reference.md B.14), wake-up, management.</li>
 * </ul>
 *
 * <p>Bus mastering: with PCI COMMAND.BME clear the device makes no DMA: transmit does not start
 * (TDT must be written again later, as with QEMU's TX) and received frames are held.
 *
 * <p>Transmit with the link down completes (descriptors written back, statistics counted) and the
 * frame is lost, as QEMU drops frames for a peer whose link is down.
 *
 * <p>The model is this facade over the shared Intel engines ({@link IntelTransmitter}, {@link IntelReceiver},
 * {@link IntelLink}, {@link IntelMdic}, {@link io.nicup.mock.intel.IntelNvmPort}, {@link IntelTrafficFaults})
 * and the 82574L's own parts: the register file with BMCR handling ({@link E82574Registers} over
 * {@link E82574RegisterTable}), the interrupt unit ({@link E82574Interrupts}), the descriptor formats and
 * causes ({@link E82574Queues}), the PHY ({@link Phy}) and the configuration space ({@link E82574ConfigSpace}).
 *
 * <p>Not thread-safe: like the whole mock, it runs in the driver's thread.
 */
public final class E82574Model extends IntelModel<E82574Fault> {

    public static final String NAME = "82574L";
    public static final int DEVICE_ID = 0x10D3;
    /** MSI-X vectors ({@code E1000E_MSIX_VEC_NUM}, docs/hardware-reference.md B.1). */
    public static final int MSIX_VECTORS = 5;
    /** Capability offsets as QEMU places them (docs/hardware-reference.md B.1; hw/net/e1000e.c {@code e1000e_pci_realize}). */
    public static final int CAP_PM = 0xC8;
    public static final int CAP_MSI = 0xD0;
    public static final int CAP_PCIE = 0xE0;
    public static final int CAP_MSIX = 0xA0;
    public static final int EXT_CAP_AER = 0x100;
    public static final int EXT_CAP_DSN = 0x140;
    /** Largest frame (without FCS) accepted with RCTL.LPE (QEMU {@code e1000x_is_oversized}: 16 KiB - 4). */
    public static final int MAX_JUMBO = E82574Queues.MAX_JUMBO;
    /** Largest frame (without FCS) accepted without RCTL.LPE: 14 + 4 (VLAN) + 1500 (1522 with FCS). */
    public static final int MAX_STANDARD = E82574Queues.MAX_STANDARD;

    /** Model-level counters a test can read; each is the {@link IntelCounter} of the same name. */
    public enum Counter {
        RX_NO_LINK, RX_DISABLED, RX_FILTERED, RX_HELD, RX_MISSED, RX_IGNORED_IN_LOOPBACK, RX_NULL_DESCRIPTOR,
        RX_TRUNCATED, TX_NO_LINK, TX_WITHOUT_IFCS, TX_MALFORMED, TX_OVERSIZE, TX_DMA_FAULT, DMA_BLOCKED_BUS_MASTER,
        WRITES_DURING_RESET, UNIMPLEMENTED_ACCESSES, LINK_FLAPS, IRQ_STORM_TICKS,
        RX_HEAD_OUTSIDE_RING, TX_HEAD_OUTSIDE_RING, UNSUBMITTED_WRITE_BACKS
    }

    private final Nvm nvm;

    /**
     * @param permanent the permanent MAC address (NVM words 0-2, RAL0/RAH0 after reset)
     * @param faults the faults to inject, each with its trigger count
     */
    public E82574Model(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] permanent,
            Map<E82574Fault, Long> faults) {
        IntelCore core = new IntelCore(NAME, Regs.LAYOUT, BAR0_SIZE, clock, config, dma, wire, faults, NOTES_KEPT);
        byte[] mac = permanent.clone();
        E82574ConfigSpace.build(config, mac);
        MockInterrupts irq = new MockInterrupts(clock, config, MSIX_VECTORS, MSI_VECTORS, true);
        E82574Interrupts interrupts = new E82574Interrupts(core, irq);
        E82574Queues queues = new E82574Queues(core, interrupts);
        Phy phy = new Phy();
        super(core, irq, phy, mac, faults, new Parts(() -> interrupts.setInterruptCause(Icr.LSC), IntelLink.Policy.E1000E,
                queues, queues, new E1000xRxFilter(core.regs, RAR_ENTRIES, Regs::ral, () -> core.rarLost), 2, E82574Queues.TX_BUFFER,
                MAX_JUMBO, interrupts::stormResignal, interrupts::updateInterruptState, MSIX_VECTORS));
        this.nvm = new Nvm(mac, DEVICE_ID, faults.containsKey(E82574Fault.NVM_CHECKSUM));
        E82574Registers registers = new E82574Registers(engines(), mac, nvm, phy, interrupts);
        powerOn(registers);
    }

    // ------------------------------------------------------------------ test-side inspection

    /** An NVM word. */
    public int nvmWord(int word) {
        return nvm.read(word);
    }

    public Nvm nvm() {
        return nvm;
    }

}
