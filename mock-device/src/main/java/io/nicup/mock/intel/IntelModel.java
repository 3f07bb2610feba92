package io.nicup.mock.intel;

import io.nicup.mock.DeviceModel;
import io.nicup.mock.EmptySpace;
import io.nicup.mock.Mmio32Space;
import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockInterrupts;
import io.nicup.mock.MsixTableSpace;
import io.nicup.mock.RegisterAccess;
import io.nicup.mock.Wire;
import io.nicup.vfio.BarInfo;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.RegisterSpace;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an Intel model is beside its chip: the shared engines wired together (transmit, receive, link,
 * traffic-triggered faults), the four BARs QEMU gives both chips (BAR0 the registers, BAR1 an empty
 * flash window that reads 0, BAR2 an I/O BAR, BAR3 the MSI-X table with the PBA at 0x2000), the wire and
 * configuration-space hooks, and the inspection a test uses (over the chip's fault enum {@code F}). A chip subclass supplies its interrupt unit
 * and its queue formats ({@link Parts}) to this constructor, and its register file ({@link RegisterFile})
 * to {@link #powerOn} at the end of its own.
 */
public abstract class IntelModel<F extends Enum<F> & IntelFault.ChipFault> implements DeviceModel, Wire.Port {

    public static final int VENDOR_ID = 0x8086;
    /** Ethernet controller. */
    public static final int CLASS_CODE = 0x020000;
    /** MSI vectors: one on both chips. */
    public static final int MSI_VECTORS = 1;
    /** BAR sizes QEMU gives the e1000e and igb alike. */
    public static final long BAR0_SIZE = 128 * 1024;
    public static final long BAR1_SIZE = 128 * 1024;
    public static final long BAR2_SIZE = 32;
    public static final long BAR3_SIZE = 16 * 1024;
    /** QEMU's default MAC address (52:54:00:12:34:56), the same for e1000e and igb. */
    public static final byte[] DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    /** Where the dma-fault fault sends a received frame: never mapped by the mock's DMA allocator. */
    public static final long DMA_FAULT_IOVA = IntelReceiver.DMA_FAULT_IOVA;
    /** The length the rx-length-over-limit fault writes back. */
    public static final int OVER_LIMIT_LENGTH = IntelReceiver.OVER_LIMIT_LENGTH;
    /** How far past the ring's end the head-out-of-range faults put RDH or TDH. */
    public static final int HEAD_BEYOND_RING = IntelReceiver.HEAD_BEYOND_RING;
    /** Frames shorter than this (without FCS) are padded: on transmit with TCTL.PSP, on receive counted in RUC. */
    public static final int MIN_FRAME = IntelTransmitter.MIN_FRAME;
    /** Notes kept ({@link #notedAccesses()}); later ones are only counted. */
    public static final int NOTES_KEPT = 1024;
    private final IntelLeds leds = new IntelLeds();

    /** The shared engines, for the chip's register file. */
    public record Engines(IntelCore core, IntelLink link, IntelTransmitter tx, IntelReceiver rx) {
    }

    /** A chip's BAR0 register file. */
    public interface RegisterFile {

        /** A read by the driver, with its side effects. */
        int read(int offset);

        void write(int offset, int value);

        /** Registers, PHY, queues and interrupt state back to power-on values ({@code software}: CTRL.RST). */
        void reset(boolean software);

        /** Ends every timed operation of the chip (the model closes). */
        void cancelEvents();

        /** STATUS as the driver would read it (speed and duplex resolved), without a read's side effects. */
        int statusNow();
    }

    /**
     * The chip's parts the shared engines call.
     *
     * @param linkStatusChanged raises LSC
     * @param linkPolicy how the chip's link reacts to the carrier and to negotiation
     * @param tx the transmit queues' descriptor format and causes
     * @param rx receive queue 0's descriptor format, limits and causes
     * @param filter the receive address filter over the chip's RAR entries
     * @param txQueues transmit queues
     * @param maxTxFrame the longest frame gathered for transmit
     * @param maxRxFrame the longest frame received (without FCS)
     * @param stormResignal signals LSC afresh for the irq-storm fault
     * @param updateInterrupts re-evaluates the interrupt lines (interrupt mode or INTx disable changed)
     * @param msixVectors MSI-X table entries in BAR3
     */
    public record Parts(Runnable linkStatusChanged, IntelLink.Policy linkPolicy, IntelTransmitter.Chip tx,
            IntelReceiver.Chip rx, E1000xRxFilter filter, int txQueues, int maxTxFrame, int maxRxFrame,
            Runnable stormResignal, Runnable updateInterrupts, int msixVectors) {
    }

    protected final IntelCore core;
    protected final MockInterrupts irq;
    protected final IntelLink link;
    protected final IntelReceiver rx;
    protected final IntelTransmitter tx;
    protected final IntelTrafficFaults trafficFaults;
    private final byte[] permanentMac;
    private final MiiPhy phy;
    private final IntelReceiver.Chip rxChip;
    private final Set<F> injected;
    private final Runnable updateInterrupts;
    private RegisterFile registers;
    private final Mmio32Space bar0;
    private final EmptySpace bar1;
    private final MsixTableSpace bar3;

    /**
     * The wire and the configuration space get this model's callbacks here; they call back only once
     * the driver runs, after the chip's constructor has finished.
     *
     * @param faults the chip's faults as injected, each with its trigger count
     */
    @SuppressWarnings("this-escape")
    protected IntelModel(IntelCore core, MockInterrupts irq, MiiPhy phy, byte[] permanentMac, Map<F, Long> faults,
            Parts parts) {
        this.core = core;
        this.irq = irq;
        this.phy = phy;
        this.permanentMac = permanentMac;
        this.rxChip = parts.rx();
        this.injected = faults.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(faults.keySet()));
        this.updateInterrupts = parts.updateInterrupts();
        this.link = new IntelLink(core, phy, parts.linkPolicy(), parts.linkStatusChanged(), this::drainReceive);
        this.trafficFaults = new IntelTrafficFaults(core, link, parts.stormResignal());
        this.rx = new IntelReceiver(core, parts.rx(), new IntelReceiver.Port() {
            @Override
            public boolean phyLoopback() {
                return phy.loopback();
            }

            @Override
            public boolean carrier() {
                return link.carrier();
            }

            @Override
            public void frameEvent() {
                trafficFaults.frameEvent();
            }
        }, parts.filter(), parts.maxRxFrame());
        this.tx = new IntelTransmitter(core, parts.tx(), new IntelTransmitter.Port() {
            @Override
            public boolean phyLoopback() {
                return phy.loopback();
            }

            @Override
            public boolean carrier() {
                return link.carrier();
            }

            @Override
            public void looped(byte[] frame, int length) {
                rx.receive(frame, length, true);
            }

            @Override
            public void frameEvent() {
                trafficFaults.frameEvent();
            }
        }, parts.txQueues(), parts.maxTxFrame());
        irq.setModeListener(updateInterrupts::run);
        core.config.setAllOnesWhen(() -> core.removed);
        core.config.setWriteListener(this::configWritten);
        core.wire.attach(this);
        this.bar0 = new Mmio32Space(BAR0_SIZE) {
            @Override
            protected int readDword(int offset) {
                return registers.read(offset);
            }

            @Override
            protected void writeDword(int offset, int value) {
                registers.write(offset, value);
                leds.holds(core.clock.nanoTime(), peek(IntelRegs.LEDCTL));   // written, or reset by CTRL.RST
            }

            @Override
            protected int peekDword(int offset) {
                return peek(offset);
            }

            @Override
            protected void narrowAccess(long offset, int width, boolean write, long value) {
                core.notes.add(0, offset, width, write, value, "narrow");
            }
        };
        this.bar1 = new EmptySpace(BAR1_SIZE, () -> core.removed);
        this.bar3 = new MsixTableSpace(BAR3_SIZE, parts.msixVectors(), () -> core.removed);
    }

    private void drainReceive() {
        rx.drain();
    }

    /** The shared engines, for the chip's register file. */
    protected final Engines engines() {
        return new Engines(core, link, tx, rx);
    }

    /** The end of the chip's constructor: registers at their power-on values, faults due at once fired. */
    protected final void powerOn(RegisterFile registerFile) {
        this.registers = registerFile;
        tx.pause().readStatusFrom(registerFile::statusNow);
        registerFile.reset(false);
        leds.holds(core.clock.nanoTime(), peek(IntelRegs.LEDCTL));
        trafficFaults.check();
    }

    /** LEDCTL's four LEDs over virtual time. */
    @Override
    public java.util.Optional<io.nicup.mock.PortLeds> leds() {
        return java.util.Optional.of(leds);
    }

    /** The stored value of a BAR0 register, without read side effects. */
    public int peek(int offset) {
        return core.regs[offset >> 2];
    }

    /** The interrupt plumbing this model signals through. */
    @Override
    public MockInterrupts interrupts() {
        return irq;
    }

    // ------------------------------------------------------------------ DeviceModel

    @Override
    public String name() {
        return core.name;
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
        String name = core.name;
        return switch (index) {
            case 0 -> bar0;
            case 1 -> bar1;
            case 3 -> bar3;
            case 2 -> throw new DeviceAccessException(Reason.UNSUPPORTED,
                    "BAR2 of the " + name + " is an I/O BAR: bar=2 size=32", "use BAR0 for the registers");
            default -> throw new DeviceAccessException(Reason.NOT_FOUND,
                    name + " has no BAR " + index + ": bar=" + index, "the " + name + " implements BARs 0-3");
        };
    }

    @Override
    public void functionReset() {
        if (!core.removed) {
            registers.reset(false);
        }
    }

    @Override
    public List<RegisterAccess> notedAccesses() {
        return core.notes.list();
    }

    @Override
    public void close() {
        registers.cancelEvents();
        trafficFaults.close();
        rx.clear();
    }

    @Override
    public void receiveFromWire(byte[] frame, int length) {
        if (!core.removed && !core.inReset && core.linkUp() && link.carrier() && tx.pause().consumed(frame, length)) {
            return;                                          // a MAC control frame: the MAC's, never the host's
        }
        rx.fromWire(frame, length);
    }

    @Override
    public void wireLinkChanged(boolean up) {
        link.wireChanged(up);
    }

    /** Turning bus mastering on delivers held frames (QEMU e1000e_write_config -> e1000e_start_recv). */
    private void configWritten(int offset, int length, int oldValue, int newValue) {
        int command = MockConfigSpace.COMMAND;
        if (offset <= command && command < offset + length) {
            int shift = (command - offset) * 8;
            int before = oldValue >>> shift;
            int after = newValue >>> shift;
            if ((after & MockConfigSpace.COMMAND_BUS_MASTER) != 0 && (before & MockConfigSpace.COMMAND_BUS_MASTER) == 0) {
                rx.drain();
            }
        }
        if (offset <= command + 1 && command + 1 < offset + length) {
            updateInterrupts.run(); // INTx disable may have changed
        }
    }

    // ------------------------------------------------------------------ test-side inspection

    public byte[] permanentMac() {
        return permanentMac.clone();
    }

    /** Whether received PAUSE frames hold the transmitter now (docs/hardware-reference.md B.14). */
    public boolean transmitPaused() {
        return tx.pause().paused();
    }

    /** Whether the device has been surprise-removed (all-ones fault). */
    public boolean removed() {
        return core.removed;
    }

    public boolean inReset() {
        return core.inReset;
    }

    public boolean txHung() {
        return core.txHung;
    }

    /** STATUS.LU as the device holds it. */
    public boolean linkUp() {
        return core.linkUp();
    }

    /** Frames waiting in the receive FIFO for descriptors. */
    public int rxFifoFrames() {
        return rx.heldFrames();
    }

    /** A PHY register as stored (page 0 on a paged PHY). */
    public int phyRegister(int reg) {
        return phy.get(reg);
    }

    /** A model-level counter: a constant of the chip's {@code Counter} enum, named as an {@link IntelCounter}. */
    public long counter(Enum<?> counter) {
        return core.counter(IntelCounter.valueOf(counter.name()));
    }

    /** The faults injected. */
    public Set<F> faults() {
        return injected;
    }

    /** Receive packet buffer (FIFO) capacity in bytes. */
    public long rxFifoCapacity() {
        return rxChip.packetBufferBytes();
    }

    /** BAR0 reads the driver made since power-on (what the registers-* faults count). */
    public long registerReads() {
        return core.registerReads();
    }

    /** From now on the device lies as {@code hostile} says (null: it stops lying). */
    public void setHostile(HostileDevice hostile) {
        core.hostile = hostile;
    }

    /** Makes the device vanish now, as the all-ones fault does. */
    public void surpriseRemove() {
        core.removed = true;
    }
}
