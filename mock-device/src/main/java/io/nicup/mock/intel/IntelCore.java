package io.nicup.mock.intel;

import io.nicup.mock.AccessNotes;
import io.nicup.mock.InjectedFaults;
import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.RegisterReadFaults;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;

import java.util.EnumMap;
import java.util.Map;

/**
 * The state an Intel model's engines share: the BAR0 register file, the plumbing (clock, configuration
 * space, DMA, wire), the statistics, the injected faults and the device-wide fault state. Each engine
 * ({@link IntelTransmitter}, {@link IntelReceiver}, {@link IntelLink}, {@link IntelMdic},
 * {@link IntelNvmPort}, {@link IntelTrafficFaults}) keeps only its own state beside this.
 */
public final class IntelCore {

    /** The chip's name, as event labels and errors say it ("82574L", "82576"). */
    public final String name;
    public final IntelLayout layout;
    /** BAR0 as the chip stores it, one int per dword. */
    public final int[] regs;
    public final VirtualClock clock;
    public final MockConfigSpace config;
    public final MockDmaAllocator dma;
    public final Wire wire;
    public final E1000xStatistics stats;
    public final InjectedFaults<IntelFault> faults;
    public final AccessNotes notes;
    private final long[] counters = new long[IntelCounter.values().length];
    /** BAR0 reads by the driver since power-on, and the registers-* faults that count them. */
    private final RegisterReadFaults<IntelFault> registerFaults;

    /** Surprise-removed (all-ones fault): every access reads all ones, nothing is written. */
    public boolean removed;
    /** CTRL.RST is in progress: register writes are ignored. */
    public boolean inReset;
    /** The tx-hang fault fired: transmit stops until a reset. */
    public boolean txHung;
    /** The reset-loses-rar fault fired: no receive address entry matches until a power-on reset. */
    public boolean rarLost;
    /** The irq-storm fault fired: LSC sticks and re-signals. */
    public boolean stormOn;
    /** A fuzzer's lies, or null: see {@link HostileDevice}. */
    public HostileDevice hostile;

    public IntelCore(String name, IntelLayout layout, long bar0Size, VirtualClock clock, MockConfigSpace config,
            MockDmaAllocator dma, Wire wire, Map<? extends IntelFault.ChipFault, Long> faults, int notesKept) {
        this.name = name;
        this.layout = layout;
        this.regs = new int[(int) (bar0Size >> 2)];
        this.clock = clock;
        this.config = config;
        this.dma = dma;
        this.wire = wire;
        this.stats = new E1000xStatistics(regs);
        Map<IntelFault, Long> kinds = new EnumMap<>(IntelFault.class);
        faults.forEach((f, after) -> kinds.put(f.kind(), after));
        this.faults = new InjectedFaults<>(IntelFault.class, kinds);
        this.registerFaults = new RegisterReadFaults<>(this.faults, IntelFault.REGISTERS_ALL_ONES,
                IntelFault.REGISTERS_RANDOM, 0x8257_4_8257_6L);
        this.notes = new AccessNotes(clock, notesKept);
    }

    public int reg(int offset) {
        return regs[offset >> 2];
    }

    public void setReg(int offset, int value) {
        regs[offset >> 2] = value;
    }

    public boolean has(IntelFault fault) {
        return faults.has(fault);
    }

    public void count(IntelCounter counter) {
        counters[counter.ordinal()]++;
    }

    public long counter(IntelCounter counter) {
        return counters[counter.ordinal()];
    }

    /** STATUS.LU as the device holds it. */
    public boolean linkUp() {
        return (reg(layout.status()) & layout.statusLu()) != 0;
    }

    /** Bus mastering is on; otherwise counts the DMA not made. */
    public boolean canDma() {
        if (config.busMaster()) {
            return true;
        }
        count(IntelCounter.DMA_BLOCKED_BUS_MASTER);
        return false;
    }

    /** STATUS written: only PHYRA can be cleared (QEMU e1000e_set_status, igb alike). */
    public void writeStatus(int value) {
        if ((value & layout.statusPhyra()) == 0) {
            regs[layout.status() >> 2] &= ~layout.statusPhyra();
        }
    }

    /** EECD written: the read-only bits (presence, AUTO_RD, size) stay. */
    public void writeEecd(int value) {
        int ro = layout.eecdReadOnly();
        regs[layout.eecd() >> 2] = (regs[layout.eecd() >> 2] & ro) | (value & ~ro);
    }

    /** How a chip reads and writes its special registers (those with side effects). */
    public interface SpecialRegisters {
        int readSpecial(int offset);

        void writeSpecial(int offset, int value);
    }

    /**
     * A BAR0 read by the driver: all ones once removed, the chip's handling for a special register,
     * the table's storage rules otherwise; an offset not implemented reads 0 and is noted.
     *
     * @param offset the canonical offset, as the table knows it
     * @param rawOffset the offset the driver used, as notes show it
     */
    public int read(RegisterTable table, SpecialRegisters chip, int offset, int rawOffset) {
        if (removed) {
            return -1;
        }
        int value = readThrough(table, chip, offset, rawOffset);
        int seen = (int) registerFaults.read(value & 0xFFFF_FFFFL, 4);
        if (registerFaults.lastReadLied()) {
            return seen;                                     // the read's side effects happened; the answer is lost
        }
        return hostile == null ? value : hostile.registerRead(rawOffset, value);
    }

    /** BAR0 reads so far: for a test that picks the read a registers-* fault starts at. */
    public long registerReads() {
        return registerFaults.reads();
    }

    private int readThrough(RegisterTable table, SpecialRegisters chip, int offset, int rawOffset) {
        switch (table.kind(offset)) {
            case SPECIAL:
                return chip.readSpecial(offset);
            case UNIMPLEMENTED:
                count(IntelCounter.UNIMPLEMENTED_ACCESSES);
                notes.add(0, rawOffset, 4, false, 0, "unimplemented");
                return 0;
            default:
                return table.read(regs, offset);
        }
    }

    /** A BAR0 write by the driver: ignored (and noted) once removed or during CTRL.RST, else as {@link #read}. */
    public void write(RegisterTable table, SpecialRegisters chip, int offset, int rawOffset, int value) {
        if (removed) {
            return;
        }
        if (inReset) {
            count(IntelCounter.WRITES_DURING_RESET);
            notes.add(0, rawOffset, 4, true, value & 0xFFFFFFFFL, "during-reset");
            return;
        }
        switch (table.kind(offset)) {
            case SPECIAL -> chip.writeSpecial(offset, value);
            case UNIMPLEMENTED -> {
                count(IntelCounter.UNIMPLEMENTED_ACCESSES);
                notes.add(0, rawOffset, 4, true, value & 0xFFFFFFFFL, "unimplemented");
            }
            default -> table.write(regs, offset, value);
        }
    }

    /** A descriptor was written back: a {@link HostileDevice} may rewrite it now. */
    public void wroteBack(boolean receive, long descriptor) {
        if (hostile != null) {
            hostile.wroteBack(receive, descriptor, dma);
        }
    }

    public static void cancel(VirtualClock.Event e) {
        if (e != null) {
            e.cancel();
        }
    }
}
