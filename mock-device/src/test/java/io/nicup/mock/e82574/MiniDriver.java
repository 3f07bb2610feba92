package io.nicup.mock.e82574;

import io.nicup.mock.intel.Eerd;
import io.nicup.mock.intel.Mdic;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.RegisterPoll;
import io.nicup.vfio.RegisterSpace;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal 82574L driver for the model's tests, written against {@link PciDevice} only (as the real
 * driver will be): reset, NVM and PHY access, legacy TX and RX rings, send and receive.
 */
final class MiniDriver {

    static final long TIMEOUT = 50_000_000; // 50 ms of (virtual) time for register polls
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Linux e1000e TCTL: EN | PSP | CT 15 | COLD 63 (docs/hardware-reference.md B.5, B.9). */
    static final int TCTL_DEFAULT = Regs.Tctl.EN | Regs.Tctl.PSP | 15 << Regs.Tctl.CT_SHIFT | 63 << Regs.Tctl.COLD_SHIFT;
    /** Per-frame TX command as Linux uses it: EOP | IFCS | RS. */
    static final int CMD_DEFAULT = TxDescriptor.CMD_EOP | TxDescriptor.CMD_IFCS | TxDescriptor.CMD_RS;

    final PciDevice dev;
    final RegisterSpace regs;
    final DeviceClock clock;

    DmaRegion txRing;
    DmaRegion txBuffers;
    int txCount;
    int txTail;
    static final int TX_SLOT = 16 * 1024;

    DmaRegion rxRing;
    DmaRegion rxBuffers;
    int rxCount;
    int rxBufSize;
    int rxNext;

    MiniDriver(PciDevice dev) {
        this.dev = dev;
        this.regs = dev.bar(0);
        this.clock = dev.clock();
    }

    int read(int offset) {
        return regs.read32(offset);
    }

    void write(int offset, int value) {
        regs.write32(offset, value);
    }

    int poll(String name, int offset, int mask, int expected) {
        return RegisterPoll.until(regs, clock, name, offset, mask, expected, TIMEOUT);
    }

    /** Linux e1000_reset_hw_82571 in short: mask, stop, CTRL.RST, wait for RST and AUTO_RD, mask, clear ICR. */
    void reset() {
        write(Regs.IMC, 0xFFFFFFFF);
        write(Regs.RCTL, 0);
        write(Regs.TCTL, 0);
        write(Regs.CTRL, read(Regs.CTRL) | Regs.Ctrl.RST);
        poll("CTRL.RST", Regs.CTRL, Regs.Ctrl.RST, 0);
        poll("EECD.AUTO_RD", Regs.EECD, Regs.Eecd.AUTO_RD, Regs.Eecd.AUTO_RD);
        write(Regs.IMC, 0xFFFFFFFF);
        read(Regs.ICR);
    }

    /** Reads an NVM word through EERD (82574 layout: START bit 0, DONE bit 1, ADDR 15:2, DATA 31:16). */
    int readNvm(int word) {
        write(Regs.EERD, (word << Eerd.ADDR_SHIFT) | Eerd.START);
        int v = poll("EERD.DONE", Regs.EERD, Eerd.DONE, Eerd.DONE);
        return v >>> Eerd.DATA_SHIFT;
    }

    /** An MDIC operation; returns the final MDIC value (with READY, maybe ERROR). */
    int mdic(int phyAddr, int reg, int op, int data) {
        write(Regs.MDIC, op | phyAddr << Mdic.PHY_SHIFT | reg << Mdic.REG_SHIFT | (data & 0xFFFF));
        return poll("MDIC.READY", Regs.MDIC, Mdic.READY, Mdic.READY);
    }

    int readPhy(int reg) {
        int v = mdic(1, reg, Mdic.OP_READ, 0);
        if ((v & Mdic.ERROR) != 0) {
            throw new IllegalStateException("MDIC error reading PHY register " + reg + ": 0x" + Integer.toHexString(v));
        }
        return v & 0xFFFF;
    }

    void writePhy(int reg, int value) {
        int v = mdic(1, reg, Mdic.OP_WRITE, value);
        if ((v & Mdic.ERROR) != 0) {
            throw new IllegalStateException("MDIC error writing PHY register " + reg + ": 0x" + Integer.toHexString(v));
        }
    }

    byte[] macFromNvm() {
        byte[] mac = new byte[6];
        for (int i = 0; i < 3; i++) {
            int w = readNvm(i);
            mac[2 * i] = (byte) w;
            mac[2 * i + 1] = (byte) (w >>> 8);
        }
        return mac;
    }

    // ---------------------------------------------------------------- TX

    void setupTx(int count) {
        setupTx(count, TCTL_DEFAULT);
    }

    void setupTx(int count, int tctl) {
        txCount = count;
        txRing = dev.dma().allocate("tx-ring", (long) count * 16, 128);
        txBuffers = dev.dma().allocate("tx-buffers", (long) count * TX_SLOT, 4096);
        write(Regs.TDBAL0, (int) txRing.iova());
        write(Regs.TDBAH0, (int) (txRing.iova() >>> 32));
        write(Regs.TDLEN0, count * 16);
        write(Regs.TDH0, 0);
        write(Regs.TDT0, 0);
        txTail = 0;
        write(Regs.TCTL, tctl);
    }

    /** Fills the descriptor at the tail with one fragment; does not move TDT. */
    int putTx(byte[] data, int cmd) {
        int slot = txTail;
        MemorySegment buf = txBuffers.segment().asSlice((long) slot * TX_SLOT, TX_SLOT);
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
        MemorySegment d = txDesc(slot);
        d.set(LE64, 0, txBuffers.iova() + (long) slot * TX_SLOT);
        d.set(LE32, 8, cmd | data.length);
        d.set(LE32, 12, 0);
        txTail = (txTail + 1) % txCount;
        return slot;
    }

    void kickTx() {
        write(Regs.TDT0, txTail);
    }

    /** Sends one frame in one descriptor with EOP|IFCS|RS. Returns the descriptor index. */
    int send(byte[] frame) {
        int slot = putTx(frame, CMD_DEFAULT);
        kickTx();
        return slot;
    }

    MemorySegment txDesc(int slot) {
        return txRing.segment().asSlice((long) slot * 16, 16);
    }

    int txStatus(int slot) {
        return txDesc(slot).get(ValueLayout.JAVA_BYTE, 12) & 0xFF;
    }

    // ---------------------------------------------------------------- RX

    static final int RCTL_DEFAULT = Regs.Rctl.EN | Regs.Rctl.BAM | Regs.Rctl.SECRC;

    void setupRx(int count, int rctl) {
        setupRx(count, rctl, 2048);
    }

    /** Ring of {@code count} descriptors, each with a buffer of {@code bufSize}; RDT = count - 1 (all but one given). */
    void setupRx(int count, int rctl, int bufSize) {
        rxCount = count;
        rxBufSize = bufSize;
        rxRing = dev.dma().allocate("rx-ring", (long) count * 16, 128);
        rxBuffers = dev.dma().allocate("rx-buffers", (long) count * bufSize, 4096);
        for (int i = 0; i < count; i++) {
            rxDesc(i).set(LE64, 0, rxBuffers.iova() + (long) i * bufSize);
        }
        write(Regs.RCTL, 0);
        write(Regs.RDBAL0, (int) rxRing.iova());
        write(Regs.RDBAH0, (int) (rxRing.iova() >>> 32));
        write(Regs.RDLEN0, count * 16);
        write(Regs.RDH0, 0);
        write(Regs.RDT0, 0);
        rxNext = 0;
        write(Regs.RCTL, rctl);
        write(Regs.RDT0, count - 1);
    }

    MemorySegment rxDesc(int i) {
        return rxRing.segment().asSlice((long) i * 16, 16);
    }

    int rxStatus(int i) {
        return rxDesc(i).get(ValueLayout.JAVA_BYTE, RxDescriptor.STATUS) & 0xFF;
    }

    int rxLength(int i) {
        return rxDesc(i).get(LE16, RxDescriptor.LENGTH) & 0xFFFF;
    }

    byte[] rxData(int i, int length) {
        byte[] out = new byte[length];
        MemorySegment.copy(rxBuffers.segment(), ValueLayout.JAVA_BYTE, (long) i * rxBufSize, out, 0, length);
        return out;
    }

    /**
     * Takes the next complete frame (DD on every descriptor, EOP on the last) out of the ring, gives
     * the descriptors back (RDT) and returns the bytes as the device wrote them; null when none is ready.
     */
    byte[] receive() {
        List<Integer> slots = new ArrayList<>();
        int i = rxNext;
        while (true) {
            int st = rxStatus(i);
            if ((st & RxDescriptor.STA_DD) == 0) {
                return null;
            }
            slots.add(i);
            i = (i + 1) % rxCount;
            if ((st & RxDescriptor.STA_EOP) != 0) {
                break;
            }
            if (slots.size() > rxCount) {
                throw new IllegalStateException("no EOP in the whole ring");
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int s : slots) {
            out.writeBytes(rxData(s, rxLength(s)));
            MemorySegment d = rxDesc(s);
            d.set(LE32, 8, 0);
            d.set(LE32, 12, 0);
        }
        int last = slots.get(slots.size() - 1);
        rxNext = (last + 1) % rxCount;
        write(Regs.RDT0, last);
        return out.toByteArray();
    }

    /** Writes RAL/RAH entry {@code i} with AV. */
    void setRar(int i, byte[] mac) {
        write(Regs.ral(i), (mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16 | (mac[3] & 0xFF) << 24);
        write(Regs.rah(i), (mac[4] & 0xFF) | (mac[5] & 0xFF) << 8 | Regs.RAH_AV);
    }
}
