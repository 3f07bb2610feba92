package io.nicup.mock.e82574;

import io.nicup.mock.AccessNotes;
import io.nicup.mock.DeviceModel;
import io.nicup.mock.EmptySpace;
import io.nicup.mock.InjectedFaults;
import io.nicup.mock.Mmio32Space;
import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.MockInterrupts;
import io.nicup.mock.MsixTableSpace;
import io.nicup.mock.RegisterAccess;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.mock.intel.E1000xRx;
import io.nicup.mock.intel.E1000xRxFilter;
import io.nicup.mock.intel.E1000xStatistics;
import io.nicup.mock.intel.Eerd;
import io.nicup.mock.intel.Mdic;
import io.nicup.mock.intel.RegisterTable;
import io.nicup.mock.intel.RxPacketBuffer;
import io.nicup.vfio.BarInfo;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterSpace;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

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
 *       7.2.22 (reference B.10). {@link #functionReset()} (the bus reset) is the same but synchronous.</li>
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
 *   <li><b>Not modelled:</b> checksum/TSO offloads (context descriptors are accepted and ignored), VLAN
 *       insertion/stripping and VLAN filtering, RSS (queue 0 receives everything), packet-split
 *       receive descriptors (treated as extended), flow control, wake-up, management.</li>
 * </ul>
 *
 * <p>Bus mastering: with PCI COMMAND.BME clear the device makes no DMA: transmit does not start
 * (TDT must be written again later, as with QEMU's TX) and received frames are held.
 *
 * <p>Transmit with the link down completes (descriptors written back, statistics counted) and the
 * frame is lost, as QEMU drops frames for a peer whose link is down.
 *
 * <p>Not thread-safe: like the whole mock, it runs in the driver's thread.
 */
public final class E82574Model implements DeviceModel, Wire.Port {

    public static final String NAME = "82574L";
    public static final int VENDOR_ID = 0x8086;
    public static final int DEVICE_ID = 0x10D3;
    public static final int CLASS_CODE = 0x020000;
    public static final long BAR0_SIZE = 128 * 1024;
    public static final long BAR1_SIZE = 128 * 1024;
    public static final long BAR2_SIZE = 32;
    public static final long BAR3_SIZE = 16 * 1024;
    /** MSI-X vectors ({@code E1000E_MSIX_VEC_NUM}) and MSI vectors (reference B.1). */
    public static final int MSIX_VECTORS = 5;
    public static final int MSI_VECTORS = 1;
    /** Capability offsets as QEMU places them (reference B.1; hw/net/e1000e.c {@code e1000e_pci_realize}). */
    public static final int CAP_PM = 0xC8;
    public static final int CAP_MSI = 0xD0;
    public static final int CAP_PCIE = 0xE0;
    public static final int CAP_MSIX = 0xA0;
    public static final int EXT_CAP_AER = 0x100;
    public static final int EXT_CAP_DSN = 0x140;
    /** QEMU's default MAC address (52:54:00:12:34:56). */
    public static final byte[] DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    /** Where the dma-fault fault sends a received frame: never mapped by {@link MockDmaAllocator}. */
    public static final long DMA_FAULT_IOVA = 0x0000_DEAD_0000_0000L;
    /** Largest frame (without FCS) accepted with RCTL.LPE (QEMU {@code e1000x_is_oversized}: 16 KiB - 4). */
    public static final int MAX_JUMBO = 16 * 1024 - 4;
    /** Largest frame (without FCS) accepted without RCTL.LPE: 14 + 4 (VLAN) + 1500 (1522 with FCS). */
    public static final int MAX_STANDARD = 1518;
    /** Frames shorter than this (without FCS) are padded on receive and counted in RUC (QEMU). */
    public static final int MIN_FRAME = 60;
    /** Notes kept ({@link #notedAccesses()}); later ones are only counted. */
    public static final int NOTES_KEPT = 1024;

    /** Model-level counters a test can read; the chip has no register for them. */
    public enum Counter {
        /** Frames from the wire lost because STATUS.LU was clear. */
        RX_NO_LINK,
        /** Frames lost because RCTL.EN was clear. */
        RX_DISABLED,
        /** Frames rejected by the address filters. */
        RX_FILTERED,
        /** Frames held in the receive FIFO for lack of descriptors (or bus mastering). */
        RX_HELD,
        /** Frames dropped because the receive FIFO was full (also in MPC). */
        RX_MISSED,
        /** Frames from the wire ignored because the MAC or PHY was in loopback. */
        RX_IGNORED_IN_LOOPBACK,
        /** Receive descriptors skipped because their buffer address was 0. */
        RX_NULL_DESCRIPTOR,
        /** Frames cut short because the ring ran out in the middle of a frame. */
        RX_TRUNCATED,
        /** Transmitted frames lost because the link was down (QEMU drops them too). */
        TX_NO_LINK,
        /** Transmitted frames whose last descriptor lacked IFCS. */
        TX_WITHOUT_IFCS,
        /** Transmit descriptors chains that formed no frame (shorter than 14 bytes). */
        TX_MALFORMED,
        /** Frames longer than 16 KiB, dropped. */
        TX_OVERSIZE,
        /** Frames dropped because a buffer read faulted in the IOMMU. */
        TX_DMA_FAULT,
        /** DMA the device did not make because bus mastering was off. */
        DMA_BLOCKED_BUS_MASTER,
        /** Register writes ignored because CTRL.RST was set. */
        WRITES_DURING_RESET,
        /** Accesses to offsets the model does not implement. */
        UNIMPLEMENTED_ACCESSES,
        /** Link drops caused by the link-flap fault. */
        LINK_FLAPS,
        /** Re-signals of the irq-storm fault. */
        IRQ_STORM_TICKS
    }

    // ------------------------------------------------------------------ register table
    private static final int REGS = (int) (BAR0_SIZE >> 2);
    private static final RegisterTable REGISTERS = new RegisterTable(BAR0_SIZE);
    /** Power-on values: pairs of (offset, value). */
    private static final int[] POWER_ON = {
        CTRL, Ctrl.POWER_ON,
        STATUS, Status.ASDV_1000 | Status.LU,
        EECD, Eecd.POWER_ON,
        EERD, Eerd.DONE,
        EEWR, Eerd.DONE,
        LEDCTL, 0x00068302,
        EXTCNF_CTRL, 0x8,
        EEMNGCTL, 0x80000000,
        RXDCTL0, 0x10000,
        RXDCTL0 + QUEUE_STRIDE, 0x10000,
        TIPG, TIPG_POWER_ON,
        PSRCTL, 0x00040402,
        TARC0, TARC_POWER_ON,
        TARC0 + QUEUE_STRIDE, TARC_POWER_ON,
        GCR, 0x200,
        TDFH, 0x600, TDFT, 0x600, TDFHS, 0x600, TDFTS, 0x600,
        POEMB, 0x30D,
        PBS, 0x28,
        PBA, 0x00140014,
        SWSM, 1,
        RXCSUM, 0x300,
        ITR, 500,
    };
    /** Causes routed through IVAR in MSI-X mode, and the shift of each one's IVAR entry. */
    private static final int[] MSIX_CAUSES = {Icr.RXQ0, Icr.RXQ1, Icr.TXQ0, Icr.TXQ1, Icr.OTHER};
    private static final int[] MSIX_IVAR_SHIFTS = {Ivar.RXQ0_SHIFT, Ivar.RXQ1_SHIFT, Ivar.TXQ0_SHIFT,
        Ivar.TXQ1_SHIFT, Ivar.OTHER_SHIFT};

    static {
        for (int off : new int[] {CTRL, CTRL_DUP, STATUS, EECD, EERD, CTRL_EXT, MDIC, ICR, ITR, ICS, IMS, IMC,
            RCTL, TCTL, EEWR, SWSM}) {
            REGISTERS.special(off);
        }
        for (int i = 0; i < 5; i++) {
            REGISTERS.special(EITR0 + 4 * i);
        }
        REGISTERS.plain(FLA, ~0);
        REGISTERS.plain(FCAL, ~0);
        REGISTERS.plain(FCAH, 0xFFFF);
        REGISTERS.plain(FCT, 0xFFFF);
        REGISTERS.plain(VET, 0xFFFF);
        REGISTERS.plain(EIAC, ~0);
        REGISTERS.plain(IAM, ~0);
        REGISTERS.plain(IVAR, ~0);
        REGISTERS.plain(FCTTV, 0xFFFF);
        REGISTERS.plain(TXCW, ~0);
        REGISTERS.readOnly(RXCW);
        REGISTERS.plain(TCTL_EXT, ~0);
        REGISTERS.plain(TIPG, 0x3FFFFFFF);
        REGISTERS.plain(AIT, 0xFFFF);
        REGISTERS.plain(LEDCTL, ~0);
        REGISTERS.plain(EXTCNF_CTRL, ~0);
        REGISTERS.plain(EXTCNF_SIZE, ~0);
        REGISTERS.plain(POEMB, ~0);
        REGISTERS.plain(PBA, ~0);
        REGISTERS.plain(PBS, ~0);
        REGISTERS.plain(EEMNGCTL, ~0);
        REGISTERS.plain(ERT, ~0);
        REGISTERS.plain(FCRTL, 0x8000FFF8);
        REGISTERS.plain(FCRTH, 0xFFF8);
        REGISTERS.plain(PSRCTL, ~0);
        for (int off : new int[] {RDFH, RDFT, RDFHS, RDFTS, RDFPC, TDFH, TDFT, TDFHS, TDFTS, TDFPC}) {
            REGISTERS.plain(off, 0x1FFF);
        }
        for (int q = 0; q < 2; q++) {
            REGISTERS.plain(rdbal(q), XDBAL_MASK);
            REGISTERS.plain(rdbah(q), ~0);
            REGISTERS.plain(rdlen(q), XDLEN_MASK);
            REGISTERS.plain(rdh(q), 0xFFFF);
            REGISTERS.special(rdt(q));
            REGISTERS.plain(RXDCTL0 + QUEUE_STRIDE * q, ~0);
            REGISTERS.plain(tdbal(q), XDBAL_MASK);
            REGISTERS.plain(tdbah(q), ~0);
            REGISTERS.plain(tdlen(q), XDLEN_MASK);
            REGISTERS.plain(tdh(q), 0xFFFF);
            REGISTERS.special(tdt(q));
            REGISTERS.plain(TXDCTL0 + QUEUE_STRIDE * q, ~0);
            REGISTERS.special(tarc(q));
        }
        REGISTERS.plain(RDTR, 0xFFFF);
        REGISTERS.plain(RADV, 0xFFFF);
        REGISTERS.plain(RSRPD, 0xFFF);
        REGISTERS.plain(RAID, 0xFFFF);
        REGISTERS.plain(TIDV, 0xFFFF);
        REGISTERS.plain(TADV, 0xFFFF);
        for (int off = CRCERRS; off <= ICRXOC; off += 4) {
            if (off == 0x04024 || off == 0x04044 || off == 0x04084 || off == 0x04098 || off == 0x0409C
                    || off == 0x04114) {
                continue; // reserved holes in the statistics block
            }
            REGISTERS.statistic(off);
        }
        for (int lo : new int[] {GORCL, GOTCL, TORL, TOTL}) {
            REGISTERS.octetCounter(lo);
        }
        REGISTERS.plain(RXCSUM, ~0);
        REGISTERS.plain(RFCTL, ~0);
        for (int i = 0; i < MTA_ENTRIES; i++) {
            REGISTERS.plain(mta(i), ~0);
            REGISTERS.plain(VFTA0 + 4 * i, ~0);
        }
        for (int i = 0; i < RAR_ENTRIES; i++) {
            REGISTERS.plain(ral(i), ~0);
            REGISTERS.special(rah(i));
        }
        for (int off : new int[] {WUC, WUFC, WUS, MRQC, MANC, IPAV, MANC2H, GCR, FACTPS, GCR2}) {
            REGISTERS.plain(off, ~0);
        }
        REGISTERS.plain(PBACLR, 0x1F);
        REGISTERS.readOnly(FWSM);
        for (int i = 0; i < 8; i++) {
            REGISTERS.plain(0x05890 + 4 * i, ~0); // MDEF
        }
        for (int i = 0; i < 7; i++) {
            REGISTERS.plain(0x05840 + 4 * i, ~0); // IP4AT
        }
        for (int i = 0; i < 4; i++) {
            REGISTERS.plain(0x05880 + 4 * i, ~0); // IP6AT
        }
        for (int i = 0; i < 32; i++) {
            REGISTERS.plain(RETA0 + 4 * i, ~0);
            REGISTERS.plain(0x05A00 + 4 * i, ~0); // WUPM
        }
        for (int i = 0; i < 10; i++) {
            REGISTERS.plain(RSSRK0 + 4 * i, ~0);
        }
    }

    // ------------------------------------------------------------------ plumbing
    private final VirtualClock clock;
    private final MockConfigSpace config;
    private final MockDmaAllocator dma;
    private final MockInterrupts irq;
    private final Wire wire;
    private final byte[] permanentMac;
    private final Nvm nvm;
    private final Phy phy = new Phy();
    private final InjectedFaults<E82574Fault> faults;
    private final Mmio32Space bar0;
    private final EmptySpace bar1;
    private final MsixTableSpace bar3;

    // ------------------------------------------------------------------ chip state
    private final int[] mac = new int[REGS];
    private final E1000xStatistics stats = new E1000xStatistics(mac);
    /** Address filters (QEMU e1000e_receive_filter / e1000x_rx_group_filter). */
    private final E1000xRxFilter rxFilter = new E1000xRxFilter(mac, RAR_ENTRIES, Regs::ral);
    private int itrGuest;
    private final int[] eitrGuest = new int[MSIX_VECTORS];
    private int msiCausesPending;
    private boolean intxAsserted;
    private boolean inReset;
    private int prevMdic;
    private VirtualClock.Event resetEvent;
    private VirtualClock.Event autoReadEvent;
    private VirtualClock.Event autonegEvent;
    private VirtualClock.Event eerdEvent;
    private VirtualClock.Event eewrEvent;
    private VirtualClock.Event mdicEvent;
    private VirtualClock.Event flapEvent;
    private VirtualClock.Event stormEvent;

    /** Transmit: the frame being gathered from descriptors, per queue. */
    private static final int TX_BUFFER = 16 * 1024;
    private final byte[][] txBuf = {new byte[TX_BUFFER], new byte[TX_BUFFER]};
    private final int[] txLen = new int[2];
    private final boolean[] txSkip = new boolean[2];

    /** Receive: the frame as written to host memory (with FCS), the padding buffer, and the FIFO. */
    private final byte[] rxBuf = new byte[MAX_JUMBO + 8];
    private final byte[] padBuf = new byte[MIN_FRAME];
    private final RxPacketBuffer rxFifo = new RxPacketBuffer();
    private final CRC32 crc = new CRC32();

    // ------------------------------------------------------------------ fault state
    private boolean removed;
    private boolean txHung;
    private boolean stormOn;
    private boolean flapDown;
    private boolean rxLengthDone;
    private boolean dmaFaultDone;

    private final long[] counters = new long[Counter.values().length];
    private final AccessNotes notes;

    /**
     * @param permanent the permanent MAC address (NVM words 0-2, RAL0/RAH0 after reset)
     * @param faults the faults to inject, each with its trigger count
     */
    public E82574Model(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] permanent,
            Map<E82574Fault, Long> faults) {
        this.clock = clock;
        this.notes = new AccessNotes(clock, NOTES_KEPT);
        this.config = config;
        this.dma = dma;
        this.wire = wire;
        this.permanentMac = permanent.clone();
        this.faults = new InjectedFaults<>(E82574Fault.class, faults);
        this.nvm = new Nvm(permanentMac, DEVICE_ID, this.faults.has(E82574Fault.NVM_CHECKSUM));
        buildConfigSpace();
        this.irq = new MockInterrupts(clock, config, MSIX_VECTORS, MSI_VECTORS, true);
        irq.setModeListener(this::updateInterruptState);
        config.setAllOnesWhen(() -> removed);
        config.setWriteListener(this::configWritten);
        wire.attach(this);
        this.bar0 = new Mmio32Space(BAR0_SIZE) {
            @Override
            protected int readDword(int offset) {
                return readRegister(offset);
            }

            @Override
            protected void writeDword(int offset, int value) {
                writeRegister(offset, value);
            }

            @Override
            protected int peekDword(int offset) {
                return mac[offset >> 2];
            }

            @Override
            protected void narrowAccess(long offset, int width, boolean write, long value) {
                notes.add(0, offset, width, write, value, "narrow");
            }
        };
        this.bar1 = new EmptySpace(BAR1_SIZE, () -> removed); // QEMU's flash BAR is an empty region: reads 0
        this.bar3 = new MsixTableSpace(BAR3_SIZE, MSIX_VECTORS, () -> removed); // the table; the PBA at 0x2000 reads 0
        resetCore(false);
        checkFrameFaults();
    }

    /** The interrupt plumbing this model signals through. */
    public MockInterrupts interrupts() {
        return irq;
    }

    private void buildConfigSpace() {
        MockConfigSpace c = config;
        // hw/net/e1000e.c e1000e_pci_realize: subsystem 8086:0000, cache line 0x10, INTA
        c.initHeader(VENDOR_ID, DEVICE_ID, CLASS_CODE, 0, 0x8086, 0x0000, 1);
        c.set(MockConfigSpace.CACHE_LINE_SIZE, 1, 0x10);
        c.set(MockConfigSpace.INTERRUPT_LINE, 1, 0x0B);
        c.initBar(0, BAR0_SIZE, true, 0xFEB80000);
        c.initBar(1, BAR1_SIZE, true, 0xFEBA0000);
        c.initBar(2, BAR2_SIZE, false, 0xC000);
        c.initBar(3, BAR3_SIZE, true, 0xFEBC0000);
        // QEMU adds MSI-X, PCIe, MSI, PM, each at the head of the list, so the chain reads
        // 0x34 -> PM 0xC8 -> MSI 0xD0 -> PCIe 0xE0 -> MSI-X 0xA0.
        c.addCapability(MockConfigSpace.CAP_ID_PM, CAP_PM, 8);
        c.set(CAP_PM + 2, 2, 0x0022); // PMC: version 1.1, DSI
        c.setWriteMask(CAP_PM + 4, 2, 0x1F03); // PMCSR: power state, PME enable, data select
        c.setW1cMask(CAP_PM + 4, 2, 0x8000); // PME status
        c.addCapability(MockConfigSpace.CAP_ID_MSI, CAP_MSI, 14);
        c.set(CAP_MSI + 2, 2, 0x0080); // 64-bit address, 1 vector, enable only through VFIO
        c.setWriteMask(CAP_MSI + 2, 2, 0x0070);
        c.setWriteMask(CAP_MSI + 4, 4, 0xFFFFFFFC);
        c.setWriteMask(CAP_MSI + 8, 4, 0xFFFFFFFF);
        c.setWriteMask(CAP_MSI + 12, 2, 0xFFFF);
        c.addCapability(MockConfigSpace.CAP_ID_PCIE, CAP_PCIE, 0x14);
        c.set(CAP_PCIE + 2, 2, 0x0001); // version 1, endpoint
        c.setWriteMask(CAP_PCIE + 8, 2, 0x7FFF); // device control
        c.setW1cMask(CAP_PCIE + 10, 2, 0x000F); // device status
        c.set(CAP_PCIE + 12, 4, 0x00000011); // link capabilities: 2.5 GT/s, x1
        c.setWriteMask(CAP_PCIE + 16, 2, 0x01FB); // link control
        c.set(CAP_PCIE + 18, 2, 0x0011); // link status: 2.5 GT/s, x1
        c.addCapability(MockConfigSpace.CAP_ID_MSIX, CAP_MSIX, 12);
        c.set(CAP_MSIX + 2, 2, MSIX_VECTORS - 1); // table size N-1; enable only through VFIO
        c.set(CAP_MSIX + 4, 4, 0x00000000 | 3); // table at BAR3 + 0
        c.set(CAP_MSIX + 8, 4, 0x00002000 | 3); // PBA at BAR3 + 0x2000
        c.addExtendedCapability(MockConfigSpace.EXT_CAP_ID_AER, 2, EXT_CAP_AER);
        c.setW1cMask(EXT_CAP_AER + 4, 4, 0xFFFFFFFF); // uncorrectable status
        c.setWriteMask(EXT_CAP_AER + 8, 4, 0xFFFFFFFF); // uncorrectable mask
        c.set(EXT_CAP_AER + 12, 4, 0x00062030); // uncorrectable severity default
        c.setWriteMask(EXT_CAP_AER + 12, 4, 0xFFFFFFFF);
        c.setW1cMask(EXT_CAP_AER + 16, 4, 0xFFFFFFFF); // correctable status
        c.setWriteMask(EXT_CAP_AER + 20, 4, 0xFFFFFFFF); // correctable mask
        c.addExtendedCapability(MockConfigSpace.EXT_CAP_ID_DSN, 1, EXT_CAP_DSN);
        // e1000e_gen_dsn: mac[0..2] in the top bytes, 0xFFFF in the middle, mac[3..5] low
        byte[] m = permanentMac;
        long dsn = (m[5] & 0xFFL) | (m[4] & 0xFFL) << 8 | (m[3] & 0xFFL) << 16 | 0xFFL << 24 | 0xFFL << 32
                | (m[2] & 0xFFL) << 40 | (m[1] & 0xFFL) << 48 | (m[0] & 0xFFL) << 56;
        c.set(EXT_CAP_DSN + 4, 4, (int) dsn);
        c.set(EXT_CAP_DSN + 8, 4, (int) (dsn >>> 32));
    }

    // ------------------------------------------------------------------ DeviceModel

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<BarInfo> bars() {
        return List.of(new BarInfo(0, BAR0_SIZE, true, false, false, true),
                new BarInfo(1, BAR1_SIZE, true, false, false, true),
                new BarInfo(2, BAR2_SIZE, false, false, false, false),
                new BarInfo(3, BAR3_SIZE, true, false, false, true));
    }

    @Override
    public RegisterSpace bar(int index) {
        return switch (index) {
            case 0 -> bar0;
            case 1 -> bar1;
            case 3 -> bar3;
            case 2 -> throw new DeviceAccessException(Reason.UNSUPPORTED,
                    "BAR2 of the 82574L is an I/O BAR: bar=2 size=32", "use BAR0 for the registers");
            default -> throw new DeviceAccessException(Reason.NOT_FOUND,
                    "82574L has no BAR " + index + ": bar=" + index, "the 82574L implements BARs 0-3");
        };
    }

    @Override
    public void functionReset() {
        if (removed) {
            return;
        }
        resetCore(false);
    }

    @Override
    public List<RegisterAccess> notedAccesses() {
        return notes.list();
    }

    @Override
    public void close() {
        for (VirtualClock.Event e : new VirtualClock.Event[] {resetEvent, autoReadEvent, autonegEvent, eerdEvent,
            eewrEvent, mdicEvent, flapEvent, stormEvent}) {
            if (e != null) {
                e.cancel();
            }
        }
        stormOn = false;
        rxFifo.clear();
    }

    // ------------------------------------------------------------------ test-side inspection

    public byte[] permanentMac() {
        return permanentMac.clone();
    }

    /** The stored value of a BAR0 register, without read side effects. */
    public int peek(int offset) {
        return mac[offset >> 2];
    }

    /** A PHY register as stored (page 0 for registers 0-15 and 22). */
    public int phyRegister(int reg) {
        return phy.get(reg);
    }

    /** An NVM word. */
    public int nvmWord(int word) {
        return nvm.read(word);
    }

    public Nvm nvm() {
        return nvm;
    }

    public long counter(Counter c) {
        return counters[c.ordinal()];
    }

    public Set<E82574Fault> faults() {
        return faults.injected();
    }

    /** Whether the device has been surprise-removed (all-ones fault). */
    public boolean removed() {
        return removed;
    }

    public boolean inReset() {
        return inReset;
    }

    public boolean txHung() {
        return txHung;
    }

    /** STATUS.LU as the device holds it. */
    public boolean linkUp() {
        return (mac[STATUS >> 2] & Status.LU) != 0;
    }

    /** Frames waiting in the receive FIFO for descriptors. */
    public int rxFifoFrames() {
        return rxFifo.size();
    }

    /** Receive FIFO capacity in bytes: PBA.RXA KiB. */
    public long rxFifoCapacity() {
        return (long) (mac[PBA >> 2] & 0xFFFF) * 1024;
    }

    /** Makes the device vanish now, as the all-ones fault does. */
    public void surpriseRemove() {
        removed = true;
    }

    // ------------------------------------------------------------------ register access

    int readRegister(int offset) {
        if (removed) {
            return -1;
        }
        switch (REGISTERS.kind(offset)) {
            case SPECIAL:
                return readSpecial(offset);
            case UNIMPLEMENTED:
                counters[Counter.UNIMPLEMENTED_ACCESSES.ordinal()]++;
                notes.add(0, offset, 4, false, 0, "unimplemented");
                return 0;
            default:
                return REGISTERS.read(mac, offset);
        }
    }

    private int readSpecial(int offset) {
        switch (offset) {
            case CTRL, CTRL_DUP:
                return mac[CTRL >> 2];
            case STATUS:
                return status();
            case ICR:
                return readIcr();
            case ICS:
                return mac[ICR >> 2]; // ICS reads as ICR without clearing (QEMU e1000e_mac_ics_read)
            case IMC:
                return 0;
            case ITR:
                return itrGuest;
            case TARC0, TARC0 + QUEUE_STRIDE:
                // QEMU e1000e_get_tarc: bits 10:0 and 30:27
                return mac[offset >> 2] & ((1 << 11) - 1 | 0x78000000);
            case SWSM: {
                // reading takes the SMBI semaphore (QEMU e1000e_mac_swsm_read)
                int v = mac[SWSM >> 2];
                mac[SWSM >> 2] = v | 1;
                return v;
            }
            default:
                if (offset >= EITR0 && offset < EITR0 + 4 * MSIX_VECTORS) {
                    return eitrGuest[(offset - EITR0) >> 2];
                }
                return mac[offset >> 2];
        }
    }

    void writeRegister(int offset, int value) {
        if (removed) {
            return;
        }
        if (inReset) {
            counters[Counter.WRITES_DURING_RESET.ordinal()]++;
            notes.add(0, offset, 4, true, value & 0xFFFFFFFFL, "during-reset");
            return;
        }
        switch (REGISTERS.kind(offset)) {
            case SPECIAL -> writeSpecial(offset, value);
            case UNIMPLEMENTED -> {
                counters[Counter.UNIMPLEMENTED_ACCESSES.ordinal()]++;
                notes.add(0, offset, 4, true, value & 0xFFFFFFFFL, "unimplemented");
            }
            default -> REGISTERS.write(mac, offset, value);
        }
    }

    private void writeSpecial(int offset, int value) {
        switch (offset) {
            case CTRL, CTRL_DUP -> writeCtrl(value);
            case STATUS -> {
                // only PHYRA can be cleared (QEMU e1000e_set_status)
                if ((value & Status.PHYRA) == 0) {
                    mac[STATUS >> 2] &= ~Status.PHYRA;
                }
            }
            case EECD -> {
                int ro = Eecd.PRES | Eecd.AUTO_RD | Eecd.SIZE_EX_MASK;
                mac[EECD >> 2] = (mac[EECD >> 2] & ro) | (value & ~ro);
            }
            case EERD -> writeEerd(value);
            case EEWR -> writeEewr(value);
            case CTRL_EXT -> mac[CTRL_EXT >> 2] = value & ~(CtrlExt.ASDCHK | CtrlExt.EE_RST);
            case MDIC -> writeMdic(value);
            case ICR -> writeIcr(value);
            case ICS -> setInterruptCause(value & ~Icr.INT_ASSERTED);
            case IMS -> {
                mac[IMS >> 2] |= value & Icr.IMS_VALID;
                updateInterruptState();
            }
            case IMC -> {
                mac[IMS >> 2] &= ~value;
                updateInterruptState();
            }
            case ITR -> {
                itrGuest = value & 0xFFFF;
                mac[ITR >> 2] = Math.max(itrGuest, 500);
            }
            case RCTL -> {
                mac[RCTL >> 2] = value;
                if ((value & Rctl.EN) != 0) {
                    drainRx();
                }
            }
            case TCTL -> {
                mac[TCTL >> 2] = value;
                for (int q = 0; q < 2; q++) {
                    if ((mac[tarc(q) >> 2] & TARC_ENABLE) != 0) {
                        startTransmit(q);
                    }
                }
            }
            case RDT0, RDT0 + QUEUE_STRIDE -> {
                mac[offset >> 2] = value & 0xFFFF;
                drainRx();
            }
            case TDT0, TDT0 + QUEUE_STRIDE -> {
                int q = (offset - TDT0) / QUEUE_STRIDE;
                mac[offset >> 2] = value & 0xFFFF;
                if ((mac[tarc(q) >> 2] & TARC_ENABLE) != 0) {
                    startTransmit(q);
                }
            }
            case TARC0, TARC0 + QUEUE_STRIDE -> mac[offset >> 2] = value;
            case SWSM -> mac[SWSM >> 2] = value;
            default -> {
                if (offset >= EITR0 && offset < EITR0 + 4 * MSIX_VECTORS) {
                    int n = (offset - EITR0) >> 2;
                    eitrGuest[n] = value & 0xFFFF;
                    mac[offset >> 2] = Math.max(eitrGuest[n], 500);
                } else if (offset >= RAH0 && offset < RAH0 + 8 * RAR_ENTRIES) {
                    mac[offset >> 2] = value & RAH_MASK;
                } else {
                    mac[offset >> 2] = value;
                }
            }
        }
    }

    // ------------------------------------------------------------------ reset (datasheet 4.6, reference B.10)

    private void writeCtrl(int value) {
        if ((value & Ctrl.RST) != 0) {
            startSoftwareReset();
            return;
        }
        mac[CTRL >> 2] = value;
        if ((value & Ctrl.PHY_RST) != 0) {
            mac[STATUS >> 2] |= Status.PHYRA; // QEMU e1000e_set_ctrl
        }
        refreshLink(true);
    }

    private void startSoftwareReset() {
        resetCore(true);
        inReset = true;
        mac[CTRL >> 2] |= Ctrl.RST;
        mac[EECD >> 2] &= ~Eecd.AUTO_RD;
        if (!faults.has(E82574Fault.RESET_STUCK)) {
            resetEvent = clock.schedule(Timing.SOFTWARE_RESET_NANOS, "82574L reset done", this::softwareResetDone);
        }
    }

    private void softwareResetDone() {
        inReset = false;
        mac[CTRL >> 2] &= ~Ctrl.RST;
        if (!faults.has(E82574Fault.NVM_AUTOREAD_STUCK)) {
            autoReadEvent = clock.schedule(Timing.NVM_AUTO_READ_NANOS, "82574L NVM auto-read done",
                    () -> mac[EECD >> 2] |= Eecd.AUTO_RD);
        }
    }

    /** Registers, PHY, queues and interrupt state back to power-on values. */
    private void resetCore(boolean software) {
        for (VirtualClock.Event e : new VirtualClock.Event[] {resetEvent, autoReadEvent, autonegEvent, eerdEvent,
            eewrEvent, mdicEvent, flapEvent}) {
            if (e != null) {
                e.cancel();
            }
        }
        int pba = mac[PBA >> 2];
        int pbs = mac[PBS >> 2];
        int fla = mac[FLA >> 2];
        Arrays.fill(mac, 0);
        for (int i = 0; i < POWER_ON.length; i += 2) {
            mac[POWER_ON[i] >> 2] = POWER_ON[i + 1];
        }
        if (faults.has(E82574Fault.NVM_AUTOREAD_STUCK)) {
            mac[EECD >> 2] &= ~Eecd.AUTO_RD;
        }
        if (software) {
            mac[PBA >> 2] = pba;
            mac[PBS >> 2] = pbs;
            mac[FLA >> 2] = fla;
        }
        // RAL0/RAH0 = permanent address, valid (QEMU e1000x_reset_mac_addr)
        byte[] m = permanentMac;
        mac[RAL0 >> 2] = (m[0] & 0xFF) | (m[1] & 0xFF) << 8 | (m[2] & 0xFF) << 16 | (m[3] & 0xFF) << 24;
        mac[RAH0 >> 2] = (m[4] & 0xFF) | (m[5] & 0xFF) << 8 | RAH_AV;
        phy.reset();
        itrGuest = 0;
        Arrays.fill(eitrGuest, 0);
        for (int i = 0; i < MSIX_VECTORS; i++) {
            mac[(EITR0 >> 2) + i] = 500;
        }
        msiCausesPending = 0;
        inReset = false;
        txLen[0] = txLen[1] = 0;
        txSkip[0] = txSkip[1] = false;
        rxFifo.clear();
        txHung = false;
        faults.deviceReset();
        flapDown = false;
        if (!carrier()) {
            mac[STATUS >> 2] &= ~Status.LU;
            phy.set(Phy.BMSR, phy.get(Phy.BMSR) & ~(Phy.BMSR_LSTATUS | Phy.BMSR_ANEGCOMPLETE));
        }
        if (stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
        }
        updateInterruptState();
    }

    // ------------------------------------------------------------------ NVM (EERD/EEWR, reference B.3/B.6)

    private void writeEerd(int value) {
        int addr = (value >>> Eerd.ADDR_SHIFT) & Eerd.ADDR_MASK;
        mac[EERD >> 2] = addr << Eerd.ADDR_SHIFT;
        cancel(eerdEvent);
        if ((value & Eerd.START) == 0 || faults.has(E82574Fault.EERD_STUCK)) {
            return;
        }
        eerdEvent = clock.schedule(Timing.EERD_NANOS, "82574L EERD done", () -> {
            if (addr < Nvm.WORDS) { // QEMU: a word beyond the image never completes
                mac[EERD >> 2] = Eerd.DONE | addr << Eerd.ADDR_SHIFT | nvm.read(addr) << Eerd.DATA_SHIFT;
            }
        });
    }

    private void writeEewr(int value) {
        int addr = (value >>> Eerd.ADDR_SHIFT) & Eerd.ADDR_MASK;
        int data = value >>> Eerd.DATA_SHIFT;
        mac[EEWR >> 2] = (addr << Eerd.ADDR_SHIFT) | (data << Eerd.DATA_SHIFT);
        cancel(eewrEvent);
        if ((value & Eerd.START) == 0 || faults.has(E82574Fault.EERD_STUCK)) {
            return;
        }
        eewrEvent = clock.schedule(Timing.EERD_NANOS, "82574L EEWR done", () -> {
            if (addr < Nvm.WORDS) {
                nvm.write(addr, data);
                mac[EEWR >> 2] = Eerd.DONE | addr << Eerd.ADDR_SHIFT | data << Eerd.DATA_SHIFT;
            }
        });
    }

    // ------------------------------------------------------------------ PHY access (MDIC, reference B.3)

    private void writeMdic(int value) {
        prevMdic = mac[MDIC >> 2];
        mac[MDIC >> 2] = value & ~(Mdic.READY | Mdic.ERROR);
        cancel(mdicEvent);
        if (faults.has(E82574Fault.MDIC_STUCK)) {
            return;
        }
        mdicEvent = clock.schedule(Timing.MDIC_NANOS, "82574L MDIC done", () -> completeMdic(value));
    }

    private void completeMdic(int value) {
        int data = value & Mdic.DATA_MASK;
        int reg = (value & Mdic.REG_MASK) >>> Mdic.REG_SHIFT;
        int phyAddr = (value & Mdic.PHY_MASK) >>> Mdic.PHY_SHIFT;
        int result;
        if (faults.has(E82574Fault.MDIC_ERROR)) {
            result = value | Mdic.ERROR;
        } else if (phyAddr != 1) {
            // QEMU e1000e_set_mdic: the previous MDIC value with ERROR ([EMP] phy=2 -> 0x58201140)
            result = prevMdic | Mdic.ERROR;
        } else if ((value & Mdic.OP_READ) != 0) {
            result = phy.canRead(reg) ? (value & ~Mdic.DATA_MASK) | phy.read(reg) : value | Mdic.ERROR;
        } else if ((value & Mdic.OP_WRITE) != 0) {
            if (phy.canWrite(reg)) {
                writePhy(reg, data);
                result = value;
            } else {
                result = value | Mdic.ERROR;
            }
        } else {
            result = value;
        }
        mac[MDIC >> 2] = result | Mdic.READY;
        if ((value & Mdic.INT_EN) != 0) {
            setInterruptCause(Icr.MDAC);
        }
    }

    private void writePhy(int reg, int data) {
        if (reg != Phy.BMCR) {
            phy.write(reg, data);
            return;
        }
        boolean wasAutoneg = phy.autonegEnabled();
        // bits 5:0 reserved; RESET and RESTART_AN self-clear (QEMU e1000e_set_phy_ctrl)
        phy.set(Phy.BMCR, data & ~(0x3F | Phy.BMCR_RESET | Phy.BMCR_ANRESTART));
        boolean restart = (data & (Phy.BMCR_ANRESTART | Phy.BMCR_RESET)) != 0;
        if (phy.autonegEnabled() && restart) {
            restartAutoneg();
        } else if (wasAutoneg && !phy.autonegEnabled()) {
            // forced speed/duplex: link follows the carrier without negotiation
            cancel(autonegEvent);
            if (carrier()) {
                phy.set(Phy.BMSR, phy.get(Phy.BMSR) | Phy.BMSR_LSTATUS);
            }
        }
        refreshLink(true);
    }

    // ------------------------------------------------------------------ link

    /** The cable is in, the partner is there, and no fault holds the link down. */
    private boolean carrier() {
        return wire.linkUp() && !faults.has(E82574Fault.LINK_DOWN) && !flapDown;
    }

    /** STATUS.LU follows the PHY link (or PHY loopback) and CTRL.SLU; a change raises LSC. */
    private void refreshLink(boolean raiseLsc) {
        boolean phyUp = (phy.get(Phy.BMSR) & Phy.BMSR_LSTATUS) != 0 || phy.loopback();
        boolean up = phyUp && (mac[CTRL >> 2] & Ctrl.SLU) != 0;
        boolean was = (mac[STATUS >> 2] & Status.LU) != 0;
        if (up != was) {
            mac[STATUS >> 2] ^= Status.LU;
            if (raiseLsc) {
                setInterruptCause(Icr.LSC);
            }
        }
    }

    private void linkLost() {
        cancel(autonegEvent);
        phy.set(Phy.BMSR, phy.get(Phy.BMSR) & ~(Phy.BMSR_LSTATUS | Phy.BMSR_ANEGCOMPLETE));
        phy.set(Phy.ANLPAR, phy.get(Phy.ANLPAR) & ~Phy.ANLPAR_ACK);
        refreshLink(true);
    }

    /** QEMU e1000x_restart_autoneg: link down now, up after {@link Timing#AUTONEG_NANOS}. */
    private void restartAutoneg() {
        linkLost();
        autonegEvent = clock.schedule(Timing.AUTONEG_NANOS, "82574L autonegotiation done", this::autonegDone);
    }

    private void autonegDone() {
        if (!carrier()) {
            return;
        }
        phy.set(Phy.BMSR, phy.get(Phy.BMSR) | Phy.BMSR_LSTATUS | Phy.BMSR_ANEGCOMPLETE);
        phy.set(Phy.ANLPAR, phy.get(Phy.ANLPAR) | Phy.ANLPAR_ACK);
        refreshLink(true);
    }

    private void carrierReturned() {
        if (!carrier()) {
            return;
        }
        if (phy.autonegEnabled() && (phy.get(Phy.BMSR) & Phy.BMSR_ANEGCOMPLETE) == 0) {
            restartAutoneg(); // QEMU e1000e_core_set_link_status
        } else {
            phy.set(Phy.BMSR, phy.get(Phy.BMSR) | Phy.BMSR_LSTATUS);
            refreshLink(true);
        }
    }

    @Override
    public void wireLinkChanged(boolean up) {
        if (removed) {
            return;
        }
        if (up) {
            carrierReturned();
        } else {
            linkLost();
        }
    }

    /** STATUS as read: stored LU/PHYRA/ASDV plus speed, duplex and GIO master state (QEMU e1000e_get_status). */
    private int status() {
        int s = mac[STATUS >> 2];
        int ctrl = mac[CTRL >> 2];
        if ((ctrl & Ctrl.GIO_MASTER_DISABLE) == 0) {
            s |= Status.GIO_MASTER_ENABLE;
        }
        int bmcr = phy.get(Phy.BMCR);
        boolean an = (bmcr & Phy.BMCR_ANENABLE) != 0;
        if ((ctrl & Ctrl.FRCDPX) != 0) {
            s |= (ctrl & Ctrl.FD) != 0 ? Status.FD : 0;
        } else if (an || (bmcr & Phy.BMCR_FULLDPLX) != 0) {
            s |= Status.FD;
        }
        int speed;
        if ((ctrl & Ctrl.FRCSPD) != 0 || (mac[CTRL_EXT >> 2] & CtrlExt.SPD_BYPS) != 0) {
            speed = switch (ctrl & Ctrl.SPD_SEL) {
                case Ctrl.SPD_10 -> Status.SPEED_10;
                case Ctrl.SPD_100 -> Status.SPEED_100;
                default -> Status.SPEED_1000;
            };
        } else if (an || (bmcr & Phy.BMCR_SPEED_MSB) != 0) {
            speed = Status.SPEED_1000;
        } else {
            speed = (bmcr & Phy.BMCR_SPEED_LSB) != 0 ? Status.SPEED_100 : Status.SPEED_10;
        }
        return s | speed;
    }

    // ------------------------------------------------------------------ interrupts (reference B.6; QEMU 7.2)

    private void setInterruptCause(int causes) {
        mac[ICR >> 2] |= causes;
        updateInterruptState();
    }

    /** ICR read: clears in non-MSI-X mode or when IMS is 0; IAME masks IMS by IAM (QEMU e1000e_mac_icr_read). */
    private int readIcr() {
        int ret = mac[ICR >> 2];
        boolean msix = irq.activeMode() == InterruptMode.MSIX;
        if (mac[IMS >> 2] == 0 || !msix) {
            mac[ICR >> 2] = 0;
        }
        if ((ret & Icr.INT_ASSERTED) != 0 && (mac[CTRL_EXT >> 2] & CtrlExt.IAME) != 0) {
            mac[ICR >> 2] = 0;
            mac[IMS >> 2] &= ~mac[IAM >> 2];
        }
        if (stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
        }
        updateInterruptState();
        return ret;
    }

    /** ICR write: write one to clear; clearing OTHER clears the other causes (QEMU e1000e_set_icr). */
    private void writeIcr(int value) {
        if ((mac[ICR >> 2] & Icr.INT_ASSERTED) != 0 && (mac[CTRL_EXT >> 2] & CtrlExt.IAME) != 0) {
            mac[IMS >> 2] &= ~mac[IAM >> 2];
        }
        int icr = mac[ICR >> 2] & ~value;
        if ((value & Icr.OTHER) != 0) {
            icr &= ~Icr.OTHER_CAUSES;
        }
        if (stormOn) {
            icr |= Icr.LSC;
        }
        mac[ICR >> 2] = icr;
        updateInterruptState();
    }

    /** QEMU e1000e_update_interrupt_state: recompute INT_ASSERTED and signal. */
    private void updateInterruptState() {
        if (removed) {
            return;
        }
        InterruptMode mode = irq.activeMode();
        int icr = mac[ICR >> 2];
        if (mode == InterruptMode.MSIX && (icr & Icr.OTHER_CAUSES) != 0) {
            icr |= Icr.OTHER;
        }
        icr &= ~Icr.INT_ASSERTED;
        if (icr != 0) {
            icr |= Icr.INT_ASSERTED;
        }
        mac[ICR >> 2] = icr;
        boolean pending = (mac[IMS >> 2] & icr) != 0;
        if (!pending) {
            msiCausesPending = 0;
        }
        if (mode == InterruptMode.INTX) {
            if (pending && !intxAsserted) {
                stats.increment(IAC);
            }
            intxAsserted = pending;
            irq.setIntxLevel(pending);
        } else {
            intxAsserted = false;
            irq.setIntxLevel(false);
            if (pending) {
                sendMsi(mode == InterruptMode.MSIX);
            }
        }
    }

    /** Signals only causes that were not pending yet (QEMU e1000e_send_msi). */
    private void sendMsi(boolean msix) {
        int causes = mac[ICR >> 2] & mac[IMS >> 2] & ~Icr.INT_ASSERTED;
        msiCausesPending &= causes;
        causes &= ~msiCausesPending;
        if (causes == 0) {
            return;
        }
        msiCausesPending |= causes;
        if (msix) {
            msixNotify(causes);
        } else {
            irq.msiNotify();
        }
    }

    /** Routes each queue cause through its IVAR entry, then applies EIAC/IAM (QEMU e1000e_msix_notify_one). */
    private void msixNotify(int causes) {
        for (int i = 0; i < MSIX_CAUSES.length; i++) {
            int cause = MSIX_CAUSES[i];
            if ((causes & cause) == 0) {
                continue;
            }
            int entry = (mac[IVAR >> 2] >>> MSIX_IVAR_SHIFTS[i]) & 0xF;
            if ((entry & Ivar.VALID) != 0) {
                int vector = entry & Ivar.VECTOR_MASK;
                if (vector < MSIX_VECTORS) {
                    irq.msixNotify(vector);
                }
            }
            if ((mac[CTRL_EXT >> 2] & CtrlExt.EIAME) != 0) {
                mac[IAM >> 2] &= ~cause;
            }
            int autoClear = mac[EIAC >> 2] & cause;
            mac[ICR >> 2] &= ~autoClear;
            msiCausesPending &= ~autoClear;
            if ((mac[CTRL_EXT >> 2] & CtrlExt.IAME) == 0) {
                mac[IMS >> 2] &= ~autoClear;
            }
        }
    }

    private void startStorm() {
        stormOn = true;
        stormTick();
    }

    private void stormTick() {
        if (!stormOn || removed) {
            return;
        }
        counters[Counter.IRQ_STORM_TICKS.ordinal()]++;
        // A fresh signal each period: in MSI-X mode LSC reaches a vector only through OTHER, which stays
        // pending while LSC sticks (QEMU e1000e_send_msi signals only new causes), so both are re-armed.
        msiCausesPending &= ~(Icr.LSC | Icr.OTHER);
        if (irq.activeMode() == InterruptMode.INTX) {
            intxAsserted = false; // a fresh assertion each period
        }
        setInterruptCause(Icr.LSC);
        stormEvent = clock.schedule(Timing.IRQ_STORM_PERIOD_NANOS, "82574L irq-storm", this::stormTick);
    }

    // ------------------------------------------------------------------ config space

    private void configWritten(int offset, int length, int oldValue, int newValue) {
        int command = MockConfigSpace.COMMAND;
        if (offset <= command && command < offset + length) {
            int shift = (command - offset) * 8;
            int before = oldValue >>> shift;
            int after = newValue >>> shift;
            if ((after & MockConfigSpace.COMMAND_BUS_MASTER) != 0 && (before & MockConfigSpace.COMMAND_BUS_MASTER) == 0) {
                drainRx(); // QEMU e1000e_write_config -> e1000e_start_recv
            }
        }
        if (offset <= command + 1 && command + 1 < offset + length) {
            updateInterruptState(); // INTx disable may have changed
        }
    }

    // ------------------------------------------------------------------ transmit (reference B.4, B.7)

    private static boolean ringEmpty(int head, int tail, int lengthBytes) {
        return head == tail || tail >= lengthBytes / TxDescriptor.SIZE;
    }

    private long ringBase(int bal, int bah) {
        return ((long) mac[bah >> 2] << 32) | (mac[bal >> 2] & 0xFFFFFFFFL);
    }

    private void startTransmit(int q) {
        if (removed || inReset || (mac[TCTL >> 2] & Tctl.EN) == 0) {
            return;
        }
        if (!config.busMaster()) {
            counters[Counter.DMA_BLOCKED_BUS_MASTER.ordinal()]++;
            return;
        }
        boolean msix = irq.activeMode() == InterruptMode.MSIX;
        int cause = Icr.TXQE;
        long base = ringBase(tdbal(q), tdbah(q));
        int lenIdx = tdlen(q) >> 2;
        int headIdx = tdh(q) >> 2;
        int tailIdx = tdt(q) >> 2;
        while (!txHung && !removed && !ringEmpty(mac[headIdx], mac[tailIdx], mac[lenIdx])) {
            long desc = base + (long) mac[headIdx] * TxDescriptor.SIZE;
            long buffer = dma.read64(desc + TxDescriptor.BUFFER_ADDR, "tx-descriptor");
            int lower = dma.read32(desc + TxDescriptor.LOWER, "tx-descriptor");
            int upper = dma.read32(desc + TxDescriptor.UPPER, "tx-descriptor");
            processTxDescriptor(q, buffer, lower);
            // write-back only with RS or IVAR.TX_INT_EVERY_WB (QEMU e1000e_txdesc_writeback, reference B.7.1)
            if ((lower & TxDescriptor.CMD_RS) != 0 || (mac[IVAR >> 2] & Ivar.TX_INT_EVERY_WB) != 0) {
                dma.write32(desc + TxDescriptor.UPPER, upper | TxDescriptor.STA_DD, "tx-writeback");
                cause |= msix ? (q == 0 ? Icr.TXQ0 : Icr.TXQ1) : Icr.TXDW;
            }
            int head = mac[headIdx] + 1;
            mac[headIdx] = head * TxDescriptor.SIZE >= mac[lenIdx] ? 0 : head;
        }
        if (!removed) {
            setInterruptCause(cause);
        }
    }

    private void processTxDescriptor(int q, long buffer, int lower) {
        int dtype = lower & (TxDescriptor.CMD_DEXT | TxDescriptor.DTYP_DATA);
        if (dtype == TxDescriptor.CMD_DEXT) {
            return; // context descriptor: offload parameters, not modelled
        }
        int length = lower & 0xFFFF;
        if (!txSkip[q]) {
            if (txLen[q] + length > TX_BUFFER) {
                txSkip[q] = true;
                counters[Counter.TX_OVERSIZE.ordinal()]++;
            } else if (length > 0 && !dma.read(buffer, txBuf[q], txLen[q], length, "tx-buffer")) {
                txSkip[q] = true;
                counters[Counter.TX_DMA_FAULT.ordinal()]++;
            } else {
                txLen[q] += length;
            }
        }
        if ((lower & TxDescriptor.CMD_EOP) != 0) {
            if (!txSkip[q]) {
                sendFrame(q, lower);
            }
            txLen[q] = 0;
            txSkip[q] = false;
        }
    }

    private void sendFrame(int q, int lower) {
        byte[] frame = txBuf[q];
        int n = txLen[q];
        if (n < 14) {
            counters[Counter.TX_MALFORMED.ordinal()]++;
            return;
        }
        if (n < MIN_FRAME && (mac[TCTL >> 2] & Tctl.PSP) != 0) {
            Arrays.fill(frame, n, MIN_FRAME, (byte) 0); // pad short packets (TCTL.PSP)
            n = MIN_FRAME;
        }
        if ((lower & TxDescriptor.CMD_IFCS) == 0) {
            counters[Counter.TX_WITHOUT_IFCS.ordinal()]++;
        }
        // QEMU e1000e_on_tx_done_update_stats; octets include the FCS ([EMP] GOTCL = 75 + 4)
        stats.transmitted(frame, n + 4);
        if (phy.loopback() || (mac[RCTL >> 2] & Rctl.LBM_MAC) != 0) {
            receiveFrame(frame, n, true); // reference B.6: loopback feeds the receive path, not the wire
        } else if ((mac[STATUS >> 2] & Status.LU) != 0 && carrier()) {
            wire.transmit(frame, n);
        } else {
            counters[Counter.TX_NO_LINK.ordinal()]++;
        }
        faults.transmitted();
        frameEvent();
    }

    // ------------------------------------------------------------------ receive (reference B.4, B.6, B.7)

    @Override
    public void receiveFromWire(byte[] frame, int length) {
        if (removed) {
            return;
        }
        if (phy.loopback() || (mac[RCTL >> 2] & Rctl.LBM_MASK) != 0) {
            counters[Counter.RX_IGNORED_IN_LOOPBACK.ordinal()]++;
            return;
        }
        if (!carrier()) {
            counters[Counter.RX_NO_LINK.ordinal()]++;
            return;
        }
        receiveFrame(frame, length, false);
    }

    private void receiveFrame(byte[] frame, int length, boolean loopback) {
        if (removed || inReset) {
            return;
        }
        if (!loopback && (mac[STATUS >> 2] & Status.LU) == 0) {
            counters[Counter.RX_NO_LINK.ordinal()]++;
            return;
        }
        int rctl = mac[RCTL >> 2];
        if ((rctl & Rctl.EN) == 0) {
            counters[Counter.RX_DISABLED.ordinal()]++;
            return;
        }
        byte[] src = frame;
        int size = length;
        if (size < MIN_FRAME) {
            // QEMU e1000e_receive_iov: pad to 60 bytes and count RUC
            System.arraycopy(frame, 0, padBuf, 0, size);
            Arrays.fill(padBuf, size, MIN_FRAME, (byte) 0);
            src = padBuf;
            size = MIN_FRAME;
            stats.increment(RUC);
        }
        if ((rctl & Rctl.SBP) == 0 && (size > MAX_JUMBO || (size > MAX_STANDARD && (rctl & Rctl.LPE) == 0))) {
            stats.increment(ROC); // QEMU e1000x_is_oversized
            return;
        }
        if (!rxFilter.accepts(rctl, src)) {
            counters[Counter.RX_FILTERED.ordinal()]++;
            return;
        }
        if (!rxFifo.isEmpty()) {
            drainRx();
        }
        int result = rxFifo.isEmpty() ? deliver(src, size) : NO_BUFFERS;
        if (result != DELIVERED) {
            hold(src, size, result == NO_BUFFERS);
        }
    }

    private static final int DELIVERED = 0;
    private static final int NO_BUFFERS = 1;
    private static final int BLOCKED = 2;

    private void hold(byte[] src, int size, boolean noBuffers) {
        if (noBuffers) {
            stats.increment(RNBC);
        }
        if (!rxFifo.hold(src, size, rxFifoCapacity())) {
            stats.increment(MPC);
            counters[Counter.RX_MISSED.ordinal()]++;
            setInterruptCause(Icr.RXO);
            return;
        }
        counters[Counter.RX_HELD.ordinal()]++;
        if (noBuffers) {
            setInterruptCause(Icr.RXO); // QEMU raises RXO when it cannot place a frame
        }
    }

    private void drainRx() {
        rxFifo.drain(f -> deliver(f, f.length) == DELIVERED);
    }

    /** Buffer size per descriptor from RCTL.BSIZE/BSEX or FLXBUF (QEMU e1000x_rxbufsize, e1000e_parse_rxbufsize). */
    private int rxBufferSize() {
        int rctl = mac[RCTL >> 2];
        int flx = (rctl & Rctl.FLXBUF_MASK) >>> Rctl.FLXBUF_SHIFT;
        if (flx != 0) {
            return flx * 1024;
        }
        return E1000xRx.bufferSize(rctl);
    }

    /** Writes one frame into the ring (QEMU e1000e_write_packet_to_guest). */
    private int deliver(byte[] src, int size) {
        int rctl = mac[RCTL >> 2];
        if (removed || inReset || (rctl & Rctl.EN) == 0) {
            return BLOCKED;
        }
        if (!config.busMaster()) {
            counters[Counter.DMA_BLOCKED_BUS_MASTER.ordinal()]++;
            return BLOCKED;
        }
        int lenBytes = mac[RDLEN0 >> 2];
        int count = lenBytes / RxDescriptor.SIZE;
        int headIdx = RDH0 >> 2;
        int tailIdx = RDT0 >> 2;
        int bufSize = rxBufferSize();
        int fcs = (rctl & Rctl.SECRC) != 0 ? 0 : 4;
        int total = size + fcs;
        int free = E1000xRx.freeDescriptors(mac[headIdx], mac[tailIdx], count);
        if ((long) free * bufSize < total) {
            return NO_BUFFERS;
        }
        if (src != rxBuf) {
            System.arraycopy(src, 0, rxBuf, 0, size);
        }
        if (fcs != 0) {
            E1000xRx.appendFcs(crc, rxBuf, size);
        }
        boolean extended = (mac[RFCTL >> 2] & RFCTL_EXTEN) != 0;
        boolean faultWrite = faults.armedOnReceive(E82574Fault.DMA_FAULT, dmaFaultDone);
        boolean faultLength = faults.armedOnReceive(E82574Fault.RX_LENGTH, rxLengthDone);
        long base = ringBase(RDBAL0, RDBAH0);
        int written = 0;
        do {
            if (ringEmpty(mac[headIdx], mac[tailIdx], lenBytes)) {
                counters[Counter.RX_TRUNCATED.ordinal()]++;
                break;
            }
            long desc = base + (long) mac[headIdx] * RxDescriptor.SIZE;
            long buffer = dma.read64(desc + RxDescriptor.BUFFER_ADDR, "rx-descriptor");
            int chunk = 0;
            boolean last = false;
            if (buffer != 0) {
                chunk = Math.min(total - written, bufSize);
                long target = faultWrite ? DMA_FAULT_IOVA + written : buffer;
                dma.write(target, rxBuf, written, chunk, "rx-buffer");
                written += chunk;
                last = written >= total;
            } else {
                counters[Counter.RX_NULL_DESCRIPTOR.ordinal()]++; // "skip descriptors with null buf addr"
            }
            int reported = last && faultLength ? chunk + bufSize : chunk;
            int status = RxDescriptor.STA_DD | (last ? RxDescriptor.STA_EOP : 0);
            if (extended) {
                dma.write64(desc, 0, "rx-writeback");
                dma.write32(desc + RxDescriptor.EXT_STATUS_ERROR, status, "rx-writeback");
                dma.write32(desc + RxDescriptor.EXT_LENGTH, reported & 0xFFFF, "rx-writeback");
            } else {
                // length, checksum 0, status, errors 0, special 0
                dma.write32(desc + RxDescriptor.LENGTH, reported & 0xFFFF, "rx-writeback");
                dma.write32(desc + RxDescriptor.STATUS, status, "rx-writeback");
            }
            int head = mac[headIdx] + 1;
            mac[headIdx] = head * RxDescriptor.SIZE >= lenBytes ? 0 : head;
        } while (written < total);
        if (faultWrite) {
            dmaFaultDone = true;
        }
        if (faultLength) {
            rxLengthDone = true;
        }
        // statistics (QEMU e1000x_update_rx_total_stats); octets and size bins include the FCS
        stats.received(rxBuf, size + 4);
        int cause;
        if (irq.activeMode() == InterruptMode.MSIX) {
            cause = Icr.RXQ0;
        } else {
            int shift = ((rctl & Rctl.RDMTS_MASK) >>> Rctl.RDMTS_SHIFT) + 1;
            boolean threshold = E1000xRx.freeDescriptors(mac[headIdx], mac[tailIdx], count) == count >> shift;
            cause = Icr.RXT0 | (threshold ? Icr.RXDMT0 : 0);
        }
        faults.received();
        setInterruptCause(cause);
        frameEvent();
        return DELIVERED;
    }

    // ------------------------------------------------------------------ faults triggered by traffic

    /** A frame went through the MAC (sent, looped or delivered): advance the traffic-triggered faults. */
    private void frameEvent() {
        if (!flapDown && linkUp() && faults.flapDue(E82574Fault.LINK_FLAP)) {
            flap();
        }
        checkFrameFaults();
    }

    private void checkFrameFaults() {
        if (faults.transmittedSinceReset(E82574Fault.TX_HANG)) {
            txHung = true;
        }
        if (faults.allFrames(E82574Fault.ALL_ONES)) {
            removed = true;
        }
        if (!stormOn && faults.allFrames(E82574Fault.IRQ_STORM)) {
            startStorm();
        }
    }

    private void flap() {
        counters[Counter.LINK_FLAPS.ordinal()]++;
        flapDown = true;
        linkLost();
        flapEvent = clock.schedule(Timing.LINK_FLAP_DOWN_NANOS, "82574L link-flap restore", () -> {
            flapDown = false;
            carrierReturned();
        });
    }

    private static void cancel(VirtualClock.Event e) {
        if (e != null) {
            e.cancel();
        }
    }
}
