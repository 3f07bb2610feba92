package io.nicup.mock.e82576;

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
 *   <li><b>Queues.</b> Receive goes to queue 0 (RSS and VMDq are not modelled; QEMU does the same with
 *       MRQC 0); transmit runs on every enabled queue 0-15. A queue without RXDCTL/TXDCTL.ENABLE takes no
 *       part. Head write-back (TDWBAL bit 0) is not modelled.</li>
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
 *   <li><b>Not modelled:</b> offloads (context descriptors accepted and ignored), VLAN insertion and
 *       stripping, SR-IOV and its mailboxes, flow control, time sync, wake-up, management.</li>
 * </ul>
 *
 * <p>Not thread-safe: like the whole mock, it runs in the driver's thread.
 */
public final class E82576Model implements DeviceModel, Wire.Port {

    public static final String NAME = "82576";
    public static final int VENDOR_ID = 0x8086;
    /** {@code E1000_DEV_ID_82576}: the copper function QEMU's igb presents. */
    public static final int DEVICE_ID = 0x10C9;
    public static final int CLASS_CODE = 0x020000;
    public static final long BAR0_SIZE = 128 * 1024;
    public static final long BAR1_SIZE = 128 * 1024;
    public static final long BAR2_SIZE = 32;
    public static final long BAR3_SIZE = 16 * 1024;
    public static final int MSIX_VECTORS = Regs.MSIX_VECTORS;
    public static final int MSI_VECTORS = 1;
    /** Capability offsets as QEMU's igb places them (hw/net/igb.c). */
    public static final int CAP_PM = 0x40;
    public static final int CAP_MSI = 0x50;
    public static final int CAP_MSIX = 0x70;
    public static final int CAP_PCIE = 0xA0;
    public static final int EXT_CAP_AER = 0x100;
    public static final int EXT_CAP_ARI = 0x150;
    /** PCIe extended capability ID of Alternative Routing-ID Interpretation. */
    private static final int EXT_CAP_ID_ARI = 0x000E;
    public static final byte[] DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    /** Where the dma-fault fault sends a received frame: never mapped by {@link MockDmaAllocator}. */
    public static final long DMA_FAULT_IOVA = 0x0000_DEAD_0000_0000L;
    public static final int MIN_FRAME = 60;
    /** Largest frame (without FCS) of the transmit path (QEMU: 64 fragments; 16 KiB here). */
    public static final int MAX_FRAME = 16 * 1024;
    public static final int NOTES_KEPT = 1024;

    /** Model-level counters a test can read; the chip has no register for them. */
    public enum Counter {
        RX_NO_LINK, RX_DISABLED, RX_QUEUE_DISABLED, RX_FILTERED, RX_HELD, RX_MISSED, RX_IGNORED_IN_LOOPBACK,
        RX_NULL_DESCRIPTOR, RX_TRUNCATED, TX_NO_LINK, TX_WITHOUT_IFCS, TX_MALFORMED, TX_OVERSIZE, TX_DMA_FAULT,
        TX_CONTEXT_DESCRIPTORS, DMA_BLOCKED_BUS_MASTER, WRITES_DURING_RESET, UNIMPLEMENTED_ACCESSES, LINK_FLAPS,
        IRQ_STORM_TICKS, MSIX_SIGNALS
    }

    // ------------------------------------------------------------------ register table
    private static final int REGS = (int) (BAR0_SIZE >> 2);
    private static final RegisterTable REGISTERS = new RegisterTable(BAR0_SIZE);
    private static final int TCTL_POWER_ON = Tctl.PSP | 0xF << 4 | 0x40 << 12 | 1 << 26 | 0xA << 28;

    static {
        for (int off : new int[] {CTRL, CTRL_DUP, STATUS, EECD, EERD, CTRL_EXT, MDIC, ICR, ICS, IMS, IMC, RCTL, TCTL,
            EICS, EIMS, EIMC, EIAC, EICR, SWSM}) {
            REGISTERS.special(off);
        }
        for (int i = 0; i < MSIX_VECTORS; i++) {
            REGISTERS.special(EITR0 + 4 * i);
        }
        int[][] plain = {{FLA, ~0}, {FCAL, ~0}, {FCAH, 0xFFFF}, {FCT, 0xFFFF}, {VET, ~0}, {IAM, ~0}, {ITR, 0xFFFF},
            {FCTTV, 0xFFFF}, {TCTL_EXT, ~0}, {TIPG, 0x3FFFFFFF}, {LEDCTL, ~0}, {EEMNGCTL, ~0}, {GPIE, ~0}, {EIAM, ~0},
            {IVAR_MISC, 0xFFFF}, {FCRTL, 0x8000FFF8}, {FCRTH, 0xFFF8}, {RXPBS, 0x7F}, {TXPBS, 0x3F}, {RXCSUM, ~0},
            {RLPML, 0x3FFF}, {RFCTL, ~0}, {WUC, ~0}, {WUFC, ~0}, {MRQC, ~0}, {MANC, ~0}, {GCR, ~0}, {SW_FW_SYNC, ~0}};
        for (int[] p : plain) {
            REGISTERS.plain(p[0], p[1]);
        }
        REGISTERS.readOnly(FWSM);
        for (int i = 0; i < 8; i++) {
            REGISTERS.plain(IVAR0 + 4 * i, ~0);
        }
        for (int q = 0; q < QUEUES; q++) {
            REGISTERS.plain(rdbal(q), 0xFFFFFF80);
            REGISTERS.plain(rdbah(q), ~0);
            REGISTERS.plain(rdlen(q), 0xFFFF0);
            REGISTERS.plain(srrctl(q), ~0);
            REGISTERS.plain(rdh(q), 0xFFFF);
            REGISTERS.special(rdt(q));
            REGISTERS.special(rxdctl(q));
            REGISTERS.plain(tdbal(q), 0xFFFFFF80);
            REGISTERS.plain(tdbah(q), ~0);
            REGISTERS.plain(tdlen(q), 0xFFFF0);
            REGISTERS.plain(tdh(q), 0xFFFF);
            REGISTERS.special(tdt(q));
            REGISTERS.special(txdctl(q));
            REGISTERS.plain(tdwbal(q), ~0);
            REGISTERS.plain(tdwbah(q), ~0);
        }
        for (int off = CRCERRS; off <= STATS_END; off += 4) {
            REGISTERS.statistic(off);
        }
        for (int lo : new int[] {GORCL, GOTCL, TORL, TOTL}) {
            REGISTERS.octetCounter(lo);
        }
        for (int i = 0; i < MTA_ENTRIES; i++) {
            REGISTERS.plain(mta(i), ~0);
            REGISTERS.plain(VFTA0 + 4 * i, ~0);
        }
        for (int i = 0; i < RAR_ENTRIES; i++) {
            REGISTERS.plain(ral(i), ~0);
            REGISTERS.special(rah(i));
        }
        for (int i = 0; i < 32; i++) {
            REGISTERS.plain(RETA0 + 4 * i, ~0);
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
    private final InjectedFaults<E82576Fault> faults;
    private final Mmio32Space bar0;
    private final EmptySpace bar1;
    private final MsixTableSpace bar3;

    // ------------------------------------------------------------------ chip state
    private final int[] mac = new int[REGS];
    private final E1000xStatistics stats = new E1000xStatistics(mac);
    /** e1000x_rx_group_filter plus the receive address entries 16-23 (QEMU igb_receive_assign, no VMDq). */
    private final E1000xRxFilter rxFilter = new E1000xRxFilter(mac, RAR_ENTRIES, Regs::ral);
    private final int[] eitrGuest = new int[MSIX_VECTORS];
    private boolean inReset;
    private boolean phyLink;
    private int prevMdic;
    private VirtualClock.Event resetEvent;
    private VirtualClock.Event autoReadEvent;
    private VirtualClock.Event autonegEvent;
    private VirtualClock.Event eerdEvent;
    private VirtualClock.Event mdicEvent;
    private VirtualClock.Event flapEvent;
    private VirtualClock.Event stormEvent;
    private final VirtualClock.Event[] rxEnableEvent = new VirtualClock.Event[QUEUES];
    private final VirtualClock.Event[] txEnableEvent = new VirtualClock.Event[QUEUES];

    private final byte[][] txBuf = new byte[QUEUES][];
    private final int[] txLen = new int[QUEUES];
    private final boolean[] txSkip = new boolean[QUEUES];

    private final byte[] rxBuf = new byte[MAX_FRAME + 8];
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

    public E82576Model(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] permanent,
            Map<E82576Fault, Long> faults) {
        this.clock = clock;
        this.notes = new AccessNotes(clock, NOTES_KEPT);
        this.config = config;
        this.dma = dma;
        this.wire = wire;
        this.permanentMac = permanent.clone();
        this.faults = new InjectedFaults<>(E82576Fault.class, faults);
        this.nvm = new Nvm(permanentMac, DEVICE_ID, this.faults.has(E82576Fault.NVM_CHECKSUM));
        buildConfigSpace();
        this.irq = new MockInterrupts(clock, config, MSIX_VECTORS, MSI_VECTORS, true);
        irq.setModeListener(this::modeChanged);
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
                return mac[canonical(offset) >> 2];
            }

            @Override
            protected void narrowAccess(long offset, int width, boolean write, long value) {
                notes.add(0, offset, width, write, value, "narrow");
            }
        };
        this.bar1 = new EmptySpace(BAR1_SIZE, () -> removed);
        this.bar3 = new MsixTableSpace(BAR3_SIZE, MSIX_VECTORS, () -> removed);
        resetCore(false);
        checkFrameFaults();
    }

    public MockInterrupts interrupts() {
        return irq;
    }

    private void buildConfigSpace() {
        MockConfigSpace c = config;
        // hw/net/igb.c: subsystem 1af4:1100 (QEMU's), revision 1
        c.initHeader(VENDOR_ID, DEVICE_ID, CLASS_CODE, 1, 0x1AF4, 0x1100, 1);
        c.set(MockConfigSpace.CACHE_LINE_SIZE, 1, 0x10);
        c.set(MockConfigSpace.INTERRUPT_LINE, 1, 0x0B);
        c.initBar(0, BAR0_SIZE, true, 0xFEA00000);
        c.initBar(1, BAR1_SIZE, true, 0xFEA20000);
        c.initBar(2, BAR2_SIZE, false, 0xD000);
        c.initBar(3, BAR3_SIZE, true, 0xFEA40000);
        c.addCapability(MockConfigSpace.CAP_ID_PCIE, CAP_PCIE, 0x3C);
        c.set(CAP_PCIE + 2, 2, 0x0002); // version 2, endpoint
        c.setWriteMask(CAP_PCIE + 8, 2, 0x7FFF);
        c.setW1cMask(CAP_PCIE + 10, 2, 0x000F);
        c.set(CAP_PCIE + 12, 4, 0x00000011); // link capabilities: 2.5 GT/s, x1 (as QEMU reports it)
        c.setWriteMask(CAP_PCIE + 16, 2, 0x01FB);
        c.set(CAP_PCIE + 18, 2, 0x0011);
        c.addCapability(MockConfigSpace.CAP_ID_MSIX, CAP_MSIX, 12);
        c.set(CAP_MSIX + 2, 2, MSIX_VECTORS - 1);
        c.set(CAP_MSIX + 4, 4, 0x00000000 | 3);
        c.set(CAP_MSIX + 8, 4, 0x00002000 | 3);
        c.addCapability(MockConfigSpace.CAP_ID_MSI, CAP_MSI, 24);
        c.set(CAP_MSI + 2, 2, 0x0180); // 64-bit, per-vector masking, 1 vector
        c.setWriteMask(CAP_MSI + 2, 2, 0x0070);
        c.setWriteMask(CAP_MSI + 4, 4, 0xFFFFFFFC);
        c.setWriteMask(CAP_MSI + 8, 4, 0xFFFFFFFF);
        c.setWriteMask(CAP_MSI + 12, 2, 0xFFFF);
        c.addCapability(MockConfigSpace.CAP_ID_PM, CAP_PM, 8);
        c.set(CAP_PM + 2, 2, 0x0022); // PMC: version 2, DSI
        c.setWriteMask(CAP_PM + 4, 2, 0x1F03);
        c.setW1cMask(CAP_PM + 4, 2, 0x8000);
        c.addExtendedCapability(MockConfigSpace.EXT_CAP_ID_AER, 2, EXT_CAP_AER);
        c.setW1cMask(EXT_CAP_AER + 4, 4, 0xFFFFFFFF);
        c.setWriteMask(EXT_CAP_AER + 8, 4, 0xFFFFFFFF);
        c.set(EXT_CAP_AER + 12, 4, 0x00062030);
        c.setWriteMask(EXT_CAP_AER + 12, 4, 0xFFFFFFFF);
        c.setW1cMask(EXT_CAP_AER + 16, 4, 0xFFFFFFFF);
        c.setWriteMask(EXT_CAP_AER + 20, 4, 0xFFFFFFFF);
        c.addExtendedCapability(EXT_CAP_ID_ARI, 1, EXT_CAP_ARI); // QEMU adds SR-IOV at 0x160: not modelled
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
                    "BAR2 of the 82576 is an I/O BAR: bar=2 size=32", "use BAR0 for the registers");
            default -> throw new DeviceAccessException(Reason.NOT_FOUND,
                    "82576 has no BAR " + index + ": bar=" + index, "the 82576 implements BARs 0-3");
        };
    }

    @Override
    public void functionReset() {
        if (!removed) {
            resetCore(false);
        }
    }

    @Override
    public List<RegisterAccess> notedAccesses() {
        return notes.list();
    }

    @Override
    public void close() {
        cancelEvents();
        cancel(stormEvent);
        stormOn = false;
        rxFifo.clear();
    }

    // ------------------------------------------------------------------ test-side inspection

    public byte[] permanentMac() {
        return permanentMac.clone();
    }

    /** The stored value of a BAR0 register (canonical or alias offset), without read side effects. */
    public int peek(int offset) {
        return mac[canonical(offset) >> 2];
    }

    public int phyRegister(int reg) {
        return phy.get(reg);
    }

    public Nvm nvm() {
        return nvm;
    }

    public long counter(Counter c) {
        return counters[c.ordinal()];
    }

    public Set<E82576Fault> faults() {
        return faults.injected();
    }

    public boolean removed() {
        return removed;
    }

    public boolean inReset() {
        return inReset;
    }

    public boolean txHung() {
        return txHung;
    }

    public boolean linkUp() {
        return (mac[STATUS >> 2] & Status.LU) != 0;
    }

    public int rxFifoFrames() {
        return rxFifo.size();
    }

    public long rxFifoCapacity() {
        return (long) (mac[RXPBS >> 2] & 0x7F) * 1024;
    }

    public void surpriseRemove() {
        removed = true;
    }

    // ------------------------------------------------------------------ register access

    int readRegister(int rawOffset) {
        if (removed) {
            return -1;
        }
        int offset = canonical(rawOffset);
        switch (REGISTERS.kind(offset)) {
            case SPECIAL:
                return readSpecial(offset);
            case UNIMPLEMENTED:
                counters[Counter.UNIMPLEMENTED_ACCESSES.ordinal()]++;
                notes.add(0, rawOffset, 4, false, 0, "unimplemented");
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
                return mac[ICR >> 2];
            case IMC, IMS:
                return mac[IMS >> 2];      // datasheet 8.8.10: reading IMC returns IMS
            case EICR: {
                int v = mac[EICR >> 2];
                mac[EICR >> 2] = 0;
                return v;
            }
            case EICS, EIMC:
                return 0;
            case SWSM: {
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

    void writeRegister(int rawOffset, int value) {
        if (removed) {
            return;
        }
        if (inReset) {
            counters[Counter.WRITES_DURING_RESET.ordinal()]++;
            notes.add(0, rawOffset, 4, true, value & 0xFFFFFFFFL, "during-reset");
            return;
        }
        int offset = canonical(rawOffset);
        switch (REGISTERS.kind(offset)) {
            case SPECIAL -> writeSpecial(offset, value);
            case UNIMPLEMENTED -> {
                counters[Counter.UNIMPLEMENTED_ACCESSES.ordinal()]++;
                notes.add(0, rawOffset, 4, true, value & 0xFFFFFFFFL, "unimplemented");
            }
            default -> REGISTERS.write(mac, offset, value);
        }
    }

    private boolean msixMode() {
        return (mac[GPIE >> 2] & Gpie.MSIX_MODE) != 0;
    }

    private int extendedMask() {
        return msixMode() ? (1 << MSIX_VECTORS) - 1 : 0x80000000 | Icr.DRSTA;
    }

    private void writeSpecial(int offset, int value) {
        switch (offset) {
            case CTRL, CTRL_DUP -> writeCtrl(value);
            case STATUS -> {
                if ((value & Status.PHYRA) == 0) {
                    mac[STATUS >> 2] &= ~Status.PHYRA;
                }
            }
            case EECD -> {
                int ro = Eecd.PRES | Eecd.AUTO_RD | Eecd.SIZE_EX_MASK;
                mac[EECD >> 2] = (mac[EECD >> 2] & ro) | (value & ~ro);
            }
            case EERD -> writeEerd(value);
            case CTRL_EXT -> mac[CTRL_EXT >> 2] = value & ~(0x1000 | 0x2000); // ASDCHK, EE_RST self-clear
            case MDIC -> writeMdic(value);
            case ICR -> {
                if ((mac[GPIE >> 2] & Gpie.NSICR) != 0
                        || (mac[IMS >> 2] != 0 && (mac[ICR >> 2] & Icr.INT_ASSERTED) != 0)) {
                    lower(IMS, mac[IAM >> 2]);
                }
                lower(ICR, value);
            }
            case ICS -> raise(ICR, value);
            case IMS -> raise(IMS, value & Icr.IMS_VALID);
            case IMC -> lower(IMS, value);
            case EICS -> raise(EICR, value & extendedMask());
            case EIMS -> raise(EIMS, value & extendedMask());
            case EIMC -> lower(EIMS, value & extendedMask());
            case EIAC -> mac[EIAC >> 2] = value & (1 << MSIX_VECTORS) - 1;
            case EICR -> lower(EICR, value & extendedMask());
            case RCTL -> {
                mac[RCTL >> 2] = value;
                if ((value & Rctl.EN) != 0) {
                    drainRx();
                }
            }
            case TCTL -> {
                mac[TCTL >> 2] = value;
                for (int q = 0; q < QUEUES; q++) {
                    startTransmit(q);
                }
            }
            case SWSM -> mac[SWSM >> 2] = value;
            default -> writeQueueOrArray(offset, value);
        }
    }

    private void writeQueueOrArray(int offset, int value) {
        if (offset >= EITR0 && offset < EITR0 + 4 * MSIX_VECTORS) {
            int n = (offset - EITR0) >> 2;
            eitrGuest[n] = value & ~0x80000000;
            mac[offset >> 2] = value & 0x7FFE;
        } else if (offset >= 0x0C000 && offset < 0x0C000 + 0x40 * QUEUES) {
            int q = (offset - 0x0C000) / 0x40;
            if (offset == rdt(q)) {
                if ((mac[rxdctl(q) >> 2] & QUEUE_ENABLE) == 0 && (value & 0xFFFF) != mac[rdh(q) >> 2]) {
                    notes.add(0, offset, 4, true, value & 0xFFFFL, "tail-before-enable"); // datasheet 4.5.9
                }
                mac[offset >> 2] = value & 0xFFFF;
                drainRx();
            } else {
                writeDctl(offset, value, q, true);
            }
        } else if (offset >= 0x0E000 && offset < 0x0E000 + 0x40 * QUEUES) {
            int q = (offset - 0x0E000) / 0x40;
            if (offset == tdt(q)) {
                if ((mac[txdctl(q) >> 2] & QUEUE_ENABLE) == 0 && (value & 0xFFFF) != mac[tdh(q) >> 2]) {
                    notes.add(0, offset, 4, true, value & 0xFFFFL, "tail-before-enable");
                }
                mac[offset >> 2] = value & 0xFFFF;
                startTransmit(q);
            } else {
                writeDctl(offset, value, q, false);
            }
        } else {
            mac[offset >> 2] = value & (RAH_AV | 0x03FC0000 | 0xFFFF); // RAH: AV, pool select, address
        }
    }

    /** RXDCTL/TXDCTL: thresholds at once; ENABLE reads back after {@link Timing#QUEUE_ENABLE_NANOS}. */
    private void writeDctl(int offset, int value, int q, boolean rx) {
        int idx = offset >> 2;
        boolean want = (value & QUEUE_ENABLE) != 0;
        mac[idx] = value & ~QUEUE_ENABLE | mac[idx] & QUEUE_ENABLE;
        VirtualClock.Event[] events = rx ? rxEnableEvent : txEnableEvent;
        cancel(events[q]);
        if (want == ((mac[idx] & QUEUE_ENABLE) != 0)) {
            return;
        }
        events[q] = clock.schedule(Timing.QUEUE_ENABLE_NANOS, "82576 " + (rx ? "RXDCTL" : "TXDCTL") + q + ".ENABLE", () -> {
            mac[idx] = want ? mac[idx] | QUEUE_ENABLE : mac[idx] & ~QUEUE_ENABLE;
            if (!rx && !want) {
                txLen[q] = 0;
                txSkip[q] = false;
            }
            if (want) {
                if (rx) {
                    drainRx();
                } else {
                    startTransmit(q);
                }
            }
        });
    }

    // ------------------------------------------------------------------ reset

    private void writeCtrl(int value) {
        if ((value & Ctrl.RST) != 0) {
            startSoftwareReset();
            return;
        }
        boolean phyReset = (value & Ctrl.PHY_RST) != 0 && (mac[CTRL >> 2] & Ctrl.PHY_RST) == 0;
        mac[CTRL >> 2] = value;
        if (phyReset) {
            mac[STATUS >> 2] |= Status.PHYRA;
            phy.reset();
            phyLink = false;
            cancel(autonegEvent);
            syncBmsr();
        }
        refreshLink(true);
    }

    private void startSoftwareReset() {
        resetCore(true);
        inReset = true;
        mac[CTRL >> 2] |= Ctrl.RST;
        if (!faults.has(E82576Fault.RESET_STUCK)) {
            resetEvent = clock.schedule(Timing.SOFTWARE_RESET_NANOS, "82576 reset done", this::softwareResetDone);
        }
    }

    private void softwareResetDone() {
        inReset = false;
        mac[CTRL >> 2] &= ~Ctrl.RST;
        if (!faults.has(E82576Fault.NVM_AUTOREAD_STUCK)) {
            autoReadEvent = clock.schedule(Timing.NVM_AUTO_READ_NANOS, "82576 NVM auto-read done", this::autoReadDone);
        }
    }

    /** The NVM auto-read: the permanent address into RAL0/RAH0, then EECD.AUTO_RD. */
    private void autoReadDone() {
        byte[] m = permanentMac;
        mac[RAL0 >> 2] = (m[0] & 0xFF) | (m[1] & 0xFF) << 8 | (m[2] & 0xFF) << 16 | (m[3] & 0xFF) << 24;
        mac[RAH0 >> 2] = (m[4] & 0xFF) | (m[5] & 0xFF) << 8 | RAH_AV;
        mac[EECD >> 2] |= Eecd.AUTO_RD;
    }

    private void cancelEvents() {
        for (VirtualClock.Event e : new VirtualClock.Event[] {resetEvent, autoReadEvent, autonegEvent, eerdEvent,
            mdicEvent, flapEvent}) {
            cancel(e);
        }
        for (int q = 0; q < QUEUES; q++) {
            cancel(rxEnableEvent[q]);
            cancel(txEnableEvent[q]);
        }
    }

    /** Registers, PHY, queues and interrupt state back to power-on values (QEMU igb_reset + igb_mac_reg_init). */
    private void resetCore(boolean software) {
        cancelEvents();
        int rxpbs = mac[RXPBS >> 2];
        int txpbs = mac[TXPBS >> 2];
        Arrays.fill(mac, 0);
        mac[LEDCTL >> 2] = 2 | 3 << 8 | 1 << 15 | 6 << 16 | 7 << 24;
        mac[EEMNGCTL >> 2] = 0x80000000;
        mac[txdctl(0) >> 2] = QUEUE_ENABLE;
        mac[rxdctl(0) >> 2] = QUEUE_ENABLE | 1 << 16;
        for (int q = 1; q < QUEUES; q++) {
            mac[rxdctl(q) >> 2] = 1 << 16;
        }
        mac[TIPG >> 2] = 0x08 | 0x04 << 10 | 0x06 << 20;
        mac[CTRL >> 2] = Ctrl.POWER_ON;
        mac[STATUS >> 2] = Status.PHYRA | 0x80000000;
        mac[EECD >> 2] = Eecd.FWE_DIS | Eecd.PRES | 2 << Eecd.SIZE_EX_SHIFT;
        mac[GCR >> 2] = 0x00400000 | 0x00080000 | 0x00040000;
        mac[RXCSUM >> 2] = 0x300;
        mac[TXPBS >> 2] = software ? txpbs : 0x28;
        mac[RXPBS >> 2] = software ? rxpbs : 0x40;
        mac[TCTL >> 2] = TCTL_POWER_ON;
        mac[TCTL_EXT >> 2] = 0x40 | 0x42 << 10;
        mac[VET >> 2] = 0x81008100;
        mac[RLPML >> 2] = 0x2600;
        if (!software) {
            Arrays.fill(eitrGuest, 0);
            if (!faults.has(E82576Fault.NVM_AUTOREAD_STUCK)) {
                autoReadDone();
            }
        } else {
            for (int i = 0; i < MSIX_VECTORS; i++) {
                mac[(EITR0 >> 2) + i] = eitrGuest[i] & 0x7FFE;
            }
        }
        phy.reset();
        phyLink = false;
        syncBmsr();
        inReset = false;
        for (int q = 0; q < QUEUES; q++) {
            txLen[q] = 0;
            txSkip[q] = false;
        }
        rxFifo.clear();
        txHung = false;
        faults.deviceReset();
        flapDown = false;
        if (stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
        }
        updateLegacyLine();
    }

    // ------------------------------------------------------------------ NVM

    private void writeEerd(int value) {
        int addr = (value >>> Eerd.ADDR_SHIFT) & Eerd.ADDR_MASK;
        mac[EERD >> 2] = addr << Eerd.ADDR_SHIFT;
        cancel(eerdEvent);
        if ((value & Eerd.START) == 0 || faults.has(E82576Fault.EERD_STUCK)
                || (mac[EECD >> 2] & Eecd.AUTO_RD) == 0 && faults.has(E82576Fault.NVM_AUTOREAD_STUCK)) {
            return;                            // a stuck auto-read keeps the NVM interface: EERD never answers
        }
        eerdEvent = clock.schedule(Timing.EERD_NANOS, "82576 EERD done", () -> {
            if (addr < Nvm.WORDS) {
                mac[EERD >> 2] = Eerd.DONE | addr << Eerd.ADDR_SHIFT | nvm.read(addr) << Eerd.DATA_SHIFT;
            }
        });
    }

    // ------------------------------------------------------------------ PHY access (MDIC)

    private void writeMdic(int value) {
        prevMdic = mac[MDIC >> 2];
        mac[MDIC >> 2] = value & ~(Mdic.READY | Mdic.ERROR);
        cancel(mdicEvent);
        if (faults.has(E82576Fault.MDIC_STUCK)) {
            return;
        }
        mdicEvent = clock.schedule(Timing.MDIC_NANOS, "82576 MDIC done", () -> completeMdic(value));
    }

    /** QEMU igb_set_mdic. */
    private void completeMdic(int value) {
        int data = value & Mdic.DATA_MASK;
        int reg = (value & Mdic.REG_MASK) >>> Mdic.REG_SHIFT;
        int phyAddr = (value & Mdic.PHY_MASK) >>> Mdic.PHY_SHIFT;
        int result;
        if (faults.has(E82576Fault.MDIC_ERROR)) {
            result = value | Mdic.ERROR;
        } else if (phyAddr != 1) {
            result = prevMdic | Mdic.ERROR;
        } else if ((value & Mdic.OP_READ) != 0) {
            result = phy.canRead(reg) ? (value & ~Mdic.DATA_MASK) | phy.get(reg) : value | Mdic.ERROR;
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
            raise(ICR, Icr.MDAC);
        }
    }

    private void writePhy(int reg, int data) {
        if (reg != Phy.BMCR) {
            phy.set(reg, data);
            return;
        }
        boolean wasAutoneg = phy.autonegEnabled();
        phy.set(Phy.BMCR, data & ~(0x3F | Phy.BMCR_RESET | Phy.BMCR_ANRESTART));
        if ((data & Phy.BMCR_RESET) != 0) {
            phyLink = false;                   // a PHY reset drops the link until negotiation completes
            cancel(autonegEvent);
        }
        if (phy.autonegEnabled() && (data & Phy.BMCR_ANRESTART) != 0) {
            restartAutoneg();
        } else if (!phy.autonegEnabled() && (wasAutoneg || !phyLink)) {
            cancel(autonegEvent);              // forced speed and duplex: the link follows the carrier
            phyLink = carrier();
        }
        syncBmsr();
        refreshLink(true);
    }

    // ------------------------------------------------------------------ link

    private boolean carrier() {
        return wire.linkUp() && !faults.has(E82576Fault.LINK_DOWN) && !flapDown;
    }

    private void syncBmsr() {
        int bmsr = phy.get(Phy.BMSR) & ~Phy.BMSR_LSTATUS;
        phy.set(Phy.BMSR, phyLink ? bmsr | Phy.BMSR_LSTATUS : bmsr);
    }

    /** STATUS.LU follows the PHY link (or PHY loopback) and CTRL.SLU; a change raises LSC. */
    private void refreshLink(boolean raiseLsc) {
        boolean up = (phyLink || phy.loopback()) && (mac[CTRL >> 2] & Ctrl.SLU) != 0;
        boolean was = (mac[STATUS >> 2] & Status.LU) != 0;
        if (up != was) {
            mac[STATUS >> 2] ^= Status.LU;
            if (raiseLsc) {
                raise(ICR, Icr.LSC);
            }
        }
    }

    private void linkLost() {
        cancel(autonegEvent);
        phyLink = false;
        phy.set(Phy.BMSR, phy.get(Phy.BMSR) & ~Phy.BMSR_ANEGCOMPLETE);
        phy.set(Phy.ANLPAR, phy.get(Phy.ANLPAR) & ~Phy.ANLPAR_ACK);
        syncBmsr();
        refreshLink(true);
    }

    private void restartAutoneg() {
        linkLost();
        autonegEvent = clock.schedule(Timing.AUTONEG_NANOS, "82576 autonegotiation done", this::autonegDone);
    }

    private void autonegDone() {
        if (!carrier()) {
            return;
        }
        phyLink = true;
        phy.set(Phy.BMSR, phy.get(Phy.BMSR) | Phy.BMSR_ANEGCOMPLETE);
        phy.set(Phy.ANLPAR, phy.get(Phy.ANLPAR) | Phy.ANLPAR_ACK);
        syncBmsr();
        refreshLink(true);
        drainRx();
    }

    private void carrierReturned() {
        if (!carrier()) {
            return;
        }
        if (phy.autonegEnabled()) {
            restartAutoneg();                  // QEMU igb_core_set_link_status: negotiation again
        } else {
            phyLink = true;
            syncBmsr();
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

    /** STATUS as read (QEMU igb_get_status): stored LU/PHYRA plus duplex, speed and GIO master state. */
    private int status() {
        int s = mac[STATUS >> 2];
        int ctrl = mac[CTRL >> 2];
        if ((ctrl & Ctrl.FRCDPX) != 0) {
            s |= (ctrl & Ctrl.FD) != 0 ? Status.FD : 0;
        } else {
            s |= Status.FD;
        }
        if ((ctrl & Ctrl.FRCSPD) != 0) {
            s |= switch (ctrl & Ctrl.SPD_SEL) {
                case Ctrl.SPD_10 -> Status.SPEED_10;
                case Ctrl.SPD_100 -> Status.SPEED_100;
                default -> Status.SPEED_1000;
            };
        } else {
            s |= Status.SPEED_1000;
        }
        if ((ctrl & Ctrl.GIO_MASTER_DISABLE) == 0 && (ctrl & Ctrl.LRST) == 0) {
            s |= Status.GIO_MASTER_ENABLE;
        }
        return s;
    }

    // ------------------------------------------------------------------ interrupts (QEMU igb_raise_interrupts)

    /** ICR read (QEMU igb_mac_icr_read): clears with NSICR, with IMS 0, when asserted, or without MSI-X. */
    private int readIcr() {
        int ret = mac[ICR >> 2];
        if ((mac[GPIE >> 2] & Gpie.NSICR) != 0 || mac[IMS >> 2] == 0 || (ret & Icr.INT_ASSERTED) != 0
                || irq.activeMode() != InterruptMode.MSIX) {
            lower(ICR, 0xFFFFFFFF);
        }
        if ((mac[GPIE >> 2] & Gpie.NSICR) != 0 || mac[IMS >> 2] != 0 && (mac[ICR >> 2] & Icr.INT_ASSERTED) != 0) {
            lower(IMS, mac[IAM >> 2]);
        }
        if (stormOn) {
            mac[ICR >> 2] |= Icr.LSC;
            fixAsserted();
        }
        return ret;
    }

    private void fixAsserted() {
        if (!msixMode()) {
            int icr = mac[ICR >> 2] & ~Icr.INT_ASSERTED;
            mac[ICR >> 2] = icr != 0 ? icr | Icr.INT_ASSERTED : 0;
        }
    }

    private void raise(int register, int causes) {
        if (removed) {
            return;
        }
        int oldCauses = mac[ICR >> 2] & mac[IMS >> 2];
        int oldExtended = mac[EICR >> 2] & mac[EIMS >> 2];
        mac[register >> 2] |= causes;
        if (msixMode()) {
            int raised = mac[ICR >> 2] & mac[IMS >> 2] & ~oldCauses;
            if ((raised & Icr.DRSTA) != 0) {
                int alloc = mac[IVAR_MISC >> 2] & 0xFF;
                if ((alloc & IVAR_VALID) != 0) {
                    mac[EICR >> 2] |= 1 << (alloc & 0x1F);
                }
            }
            if ((raised & ~Icr.DRSTA) != 0) {
                int alloc = mac[IVAR_MISC >> 2] >>> 8 & 0xFF;
                if ((alloc & IVAR_VALID) != 0) {
                    mac[EICR >> 2] |= 1 << (alloc & 0x1F);
                }
            }
            int raisedExtended = mac[EICR >> 2] & mac[EIMS >> 2] & ~oldExtended;
            for (int v = 0; v < MSIX_VECTORS; v++) {
                if ((raisedExtended & 1 << v) != 0) {
                    msixNotify(v);
                }
            }
            return;
        }
        fixAsserted();
        int raised = mac[ICR >> 2] & mac[IMS >> 2] & ~oldCauses;
        if (raised == 0) {
            return;
        }
        switch (irq.activeMode()) {
            case MSIX -> msixNotify(0);
            case MSI -> irq.msiNotify();
            case INTX -> {
                stats.increment(IAC);
                updateLegacyLine();
            }
        }
    }

    private void msixNotify(int vector) {
        counters[Counter.MSIX_SIGNALS.ordinal()]++;
        irq.msixNotify(vector);
        mac[EICR >> 2] &= ~(mac[EIAC >> 2] & 1 << vector);
    }

    private void lower(int register, int causes) {
        mac[register >> 2] &= ~causes;
        if (register == ICR) {
            fixAsserted();
        }
        updateLegacyLine();
    }

    /** The INTx line: high while a cause is pending and unmasked, outside MSI-X mode. */
    private void updateLegacyLine() {
        if (removed) {
            return;
        }
        boolean high = !msixMode() && irq.activeMode() == InterruptMode.INTX
                && (mac[ICR >> 2] & mac[IMS >> 2] & ~Icr.INT_ASSERTED) != 0;
        irq.setIntxLevel(high);
    }

    private void modeChanged() {
        updateLegacyLine();
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
        mac[ICR >> 2] &= ~Icr.LSC;             // re-assert: a fresh edge every period
        int alloc = mac[IVAR_MISC >> 2] >>> 8 & 0xFF;
        if (msixMode() && (alloc & IVAR_VALID) != 0) {
            mac[EICR >> 2] &= ~(1 << (alloc & 0x1F));
        }
        if (irq.activeMode() == InterruptMode.INTX) {
            irq.setIntxLevel(false);
        }
        raise(ICR, Icr.LSC);
        stormEvent = clock.schedule(Timing.IRQ_STORM_PERIOD_NANOS, "82576 irq-storm", this::stormTick);
    }

    // ------------------------------------------------------------------ config space

    private void configWritten(int offset, int length, int oldValue, int newValue) {
        int command = MockConfigSpace.COMMAND;
        if (offset <= command && command < offset + length) {
            int shift = (command - offset) * 8;
            int before = oldValue >>> shift;
            int after = newValue >>> shift;
            if ((after & MockConfigSpace.COMMAND_BUS_MASTER) != 0 && (before & MockConfigSpace.COMMAND_BUS_MASTER) == 0) {
                drainRx();
            }
        }
        if (offset <= command + 1 && command + 1 < offset + length) {
            updateLegacyLine();
        }
    }

    // ------------------------------------------------------------------ transmit (QEMU igb_start_xmit)

    private long ringBase(int bal, int bah) {
        return ((long) mac[bah >> 2] << 32) | (mac[bal >> 2] & 0xFFFFFFFFL);
    }

    private static boolean ringEmpty(int head, int tail, int lengthBytes) {
        return head == tail || tail >= lengthBytes / 16;
    }

    private void startTransmit(int q) {
        if (removed || inReset || (mac[TCTL >> 2] & Tctl.EN) == 0 || (mac[txdctl(q) >> 2] & QUEUE_ENABLE) == 0) {
            return;
        }
        if (!config.busMaster()) {
            counters[Counter.DMA_BLOCKED_BUS_MASTER.ordinal()]++;
            return;
        }
        long base = ringBase(tdbal(q), tdbah(q));
        int lenIdx = tdlen(q) >> 2;
        int headIdx = tdh(q) >> 2;
        int tailIdx = tdt(q) >> 2;
        int eic = 0;
        boolean writtenBack = false;
        while (!txHung && !removed && !ringEmpty(mac[headIdx], mac[tailIdx], mac[lenIdx])) {
            long desc = base + (long) mac[headIdx] * TxDesc.SIZE;
            long buffer = dma.read64(desc + TxDesc.BUFFER_ADDR, "tx-descriptor");
            int cmdTypeLen = dma.read32(desc + TxDesc.CMD_TYPE_LEN, "tx-descriptor");
            int olinfo = dma.read32(desc + TxDesc.OLINFO_STATUS, "tx-descriptor");
            processTxDescriptor(q, buffer, cmdTypeLen);
            int head = mac[headIdx] + 1;
            mac[headIdx] = head * TxDesc.SIZE >= mac[lenIdx] ? 0 : head;
            if ((cmdTypeLen & TxDesc.RS) != 0) {
                dma.write32(desc + TxDesc.WB_STATUS, olinfo | TxDesc.STA_DD, "tx-writeback");
                int entry = mac[(IVAR0 >> 2) + (q & 7)] >>> ((q & 8) << 1) + 8 & 0xFF;
                eic |= (entry & IVAR_VALID) != 0 ? 1 << (entry & 0x1F) : 0;
                writtenBack = true;
            }
        }
        if (writtenBack && !removed) {
            if (eic != 0 && msixMode()) {
                raise(EICR, eic);
            }
            raise(ICR, Icr.TXDW);
        }
    }

    private void processTxDescriptor(int q, long buffer, int cmdTypeLen) {
        if ((cmdTypeLen & TxDesc.DEXT) != 0 && (cmdTypeLen & TxDesc.DTYP_MASK) == TxDesc.DTYP_CTXT) {
            counters[Counter.TX_CONTEXT_DESCRIPTORS.ordinal()]++;
            return;                            // offload context: not modelled
        }
        if (txBuf[q] == null) {
            txBuf[q] = new byte[MAX_FRAME];
        }
        int length = cmdTypeLen & 0xFFFF;
        if (!txSkip[q]) {
            if (txLen[q] + length > MAX_FRAME) {
                txSkip[q] = true;
                counters[Counter.TX_OVERSIZE.ordinal()]++;
            } else if (length > 0 && !dma.read(buffer, txBuf[q], txLen[q], length, "tx-buffer")) {
                txSkip[q] = true;
                counters[Counter.TX_DMA_FAULT.ordinal()]++;
            } else {
                txLen[q] += length;
            }
        }
        if ((cmdTypeLen & TxDesc.EOP) != 0) {
            if (!txSkip[q]) {
                sendFrame(q, cmdTypeLen);
            }
            txLen[q] = 0;
            txSkip[q] = false;
        }
    }

    private void sendFrame(int q, int cmdTypeLen) {
        byte[] frame = txBuf[q];
        int n = txLen[q];
        if (n < 14) {
            counters[Counter.TX_MALFORMED.ordinal()]++;
            return;
        }
        if (n < MIN_FRAME && (mac[TCTL >> 2] & Tctl.PSP) != 0) {
            Arrays.fill(frame, n, MIN_FRAME, (byte) 0);
            n = MIN_FRAME;
        }
        if ((cmdTypeLen & TxDesc.IFCS) == 0) {
            counters[Counter.TX_WITHOUT_IFCS.ordinal()]++;
        }
        // QEMU igb_on_tx_done_update_stats: octets and size bins with the FCS
        stats.transmitted(frame, n + 4);
        if (phy.loopback() || (mac[RCTL >> 2] & Rctl.LBM_MASK) == Rctl.LBM_MAC) {
            receiveFrame(frame, n, true);      // QEMU igb_tx_pkt_send: loopback to igb_receive_internal
        } else if ((mac[STATUS >> 2] & Status.LU) != 0 && carrier()) {
            wire.transmit(frame, n);
        } else {
            counters[Counter.TX_NO_LINK.ordinal()]++;
        }
        faults.transmitted();
        frameEvent();
    }

    // ------------------------------------------------------------------ receive (QEMU igb_receive_internal)

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
        if ((mac[STATUS >> 2] & Status.LU) == 0) {
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
            System.arraycopy(frame, 0, padBuf, 0, size);
            Arrays.fill(padBuf, size, MIN_FRAME, (byte) 0);
            src = padBuf;
            size = MIN_FRAME;
            stats.increment(RUC);
        }
        if ((rctl & Rctl.SBP) == 0 && oversized(src, size, rctl)) {
            stats.increment(ROC);
            return;
        }
        if (!rxFilter.accepts(rctl, src)) {
            counters[Counter.RX_FILTERED.ordinal()]++;
            return;
        }
        if ((mac[rxdctl(0) >> 2] & QUEUE_ENABLE) == 0) {
            counters[Counter.RX_QUEUE_DISABLED.ordinal()]++;
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

    /** QEMU igb_rx_is_oversized: with LPE the limit is RLPML (with FCS), else 1500 bytes of payload. */
    private boolean oversized(byte[] f, int size, int rctl) {
        boolean vlan = ((f[12] & 0xFF) << 8 | f[13] & 0xFF) == (mac[VET >> 2] & 0xFFFF);
        if ((rctl & Rctl.LPE) != 0) {
            return size + 4 > (mac[RLPML >> 2] & 0x3FFF);
        }
        return size > 14 + (vlan ? 4 : 0) + 1500;
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
            raise(ICR, Icr.RXO);
            return;
        }
        counters[Counter.RX_HELD.ordinal()]++;
        if (noBuffers) {
            raise(ICR, Icr.RXO);
        }
    }

    private void drainRx() {
        rxFifo.drain(f -> deliver(f, f.length) == DELIVERED);
    }

    /** QEMU igb_rxbufsize: SRRCTL.BSIZEPKT in KB, else RCTL's size. */
    private int rxBufferSize() {
        int bsizepkt = mac[srrctl(0) >> 2] & SRRCTL_BSIZEPKT_MASK;
        if (bsizepkt != 0) {
            return bsizepkt << 10;
        }
        return E1000xRx.bufferSize(mac[RCTL >> 2]);
    }

    /** Writes one frame into queue 0's ring (QEMU igb_write_packet_to_guest, advanced write-back). */
    private int deliver(byte[] src, int size) {
        int rctl = mac[RCTL >> 2];
        if (removed || inReset || (rctl & Rctl.EN) == 0 || (mac[STATUS >> 2] & Status.LU) == 0
                || (mac[rxdctl(0) >> 2] & QUEUE_ENABLE) == 0) {
            return BLOCKED;
        }
        if (!config.busMaster()) {
            counters[Counter.DMA_BLOCKED_BUS_MASTER.ordinal()]++;
            return BLOCKED;
        }
        int lenBytes = mac[rdlen(0) >> 2];
        int count = lenBytes / RxDesc.SIZE;
        int headIdx = rdh(0) >> 2;
        int tailIdx = rdt(0) >> 2;
        int bufSize = rxBufferSize();
        int fcs = (rctl & Rctl.SECRC) != 0 ? 0 : 4;
        int total = size + fcs;
        if (count == 0 || (long) E1000xRx.freeDescriptors(mac[headIdx], mac[tailIdx], count) * bufSize < total) {
            return NO_BUFFERS;
        }
        if (src != rxBuf) {
            System.arraycopy(src, 0, rxBuf, 0, size);
        }
        if (fcs != 0) {
            E1000xRx.appendFcs(crc, rxBuf, size);
        }
        boolean faultWrite = faults.armedOnReceive(E82576Fault.DMA_FAULT, dmaFaultDone);
        boolean faultLength = faults.armedOnReceive(E82576Fault.RX_LENGTH, rxLengthDone);
        long base = ringBase(rdbal(0), rdbah(0));
        int written = 0;
        do {
            if (ringEmpty(mac[headIdx], mac[tailIdx], lenBytes)) {
                counters[Counter.RX_TRUNCATED.ordinal()]++;
                break;
            }
            long desc = base + (long) mac[headIdx] * RxDesc.SIZE;
            long buffer = dma.read64(desc + RxDesc.PKT_ADDR, "rx-descriptor");
            int chunk = 0;
            boolean last = false;
            if (buffer != 0) {
                chunk = Math.min(total - written, bufSize);
                long target = faultWrite ? DMA_FAULT_IOVA + written : buffer;
                dma.write(target, rxBuf, written, chunk, "rx-buffer");
                written += chunk;
                last = written >= total;
            } else {
                counters[Counter.RX_NULL_DESCRIPTOR.ordinal()]++;
            }
            int reported = last && faultLength ? chunk + bufSize : chunk;
            int status = RxDesc.STAT_DD | (last ? RxDesc.STAT_EOP : 0);
            // write-back: the descriptor with DD clear, then status_error with DD (igb_pci_dma_write_rx_desc)
            dma.write64(desc + RxDesc.WB_LOWER, 0, "rx-writeback");
            dma.write32(desc + RxDesc.WB_STATUS_ERROR, 0, "rx-writeback");
            dma.write32(desc + RxDesc.WB_LENGTH, reported & 0xFFFF, "rx-writeback");
            dma.write32(desc + RxDesc.WB_STATUS_ERROR, status, "rx-writeback");
            int head = mac[headIdx] + 1;
            mac[headIdx] = head * RxDesc.SIZE >= lenBytes ? 0 : head;
        } while (written < total);
        if (faultWrite) {
            dmaFaultDone = true;
        }
        if (faultLength) {
            rxLengthDone = true;
        }
        stats.received(rxBuf, size + 4);
        int causes = Icr.RXDW;
        int threshold = (mac[srrctl(0) >> 2] >>> SRRCTL_RDMTS_SHIFT & 31) * 16;
        if (E1000xRx.freeDescriptors(mac[headIdx], mac[tailIdx], count) == threshold) {
            causes |= Icr.RXDMT0;
        }
        int entry = mac[IVAR0 >> 2] & 0xFF;
        faults.received();
        if (msixMode() && (entry & IVAR_VALID) != 0) {
            raise(EICR, 1 << (entry & 0x1F));
        }
        raise(ICR, causes);
        frameEvent();
        return DELIVERED;
    }

    // ------------------------------------------------------------------ faults triggered by traffic

    private void frameEvent() {
        if (!flapDown && linkUp() && faults.flapDue(E82576Fault.LINK_FLAP)) {
            flap();
        }
        checkFrameFaults();
    }

    private void checkFrameFaults() {
        if (faults.transmittedSinceReset(E82576Fault.TX_HANG)) {
            txHung = true;
        }
        if (faults.allFrames(E82576Fault.ALL_ONES)) {
            removed = true;
        }
        if (!stormOn && faults.allFrames(E82576Fault.IRQ_STORM)) {
            startStorm();
        }
    }

    private void flap() {
        counters[Counter.LINK_FLAPS.ordinal()]++;
        flapDown = true;
        linkLost();
        flapEvent = clock.schedule(Timing.LINK_FLAP_DOWN_NANOS, "82576 link-flap restore", () -> {
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
