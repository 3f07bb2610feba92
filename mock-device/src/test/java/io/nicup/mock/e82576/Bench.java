package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Regs.*;

import io.nicup.mock.intel.Mdic;
import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A device with a TX and RX ring on queue 0 and the helpers a test needs. */
final class Bench implements AutoCloseable {

    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final byte[] MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    static final byte[] PEER = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    static final int COUNT = 16;
    static final int RCTL_ON = Rctl.EN | Rctl.BAM | Rctl.SECRC;

    final MockPciDevice dev;
    final E82576Model model;
    final RegisterSpace regs;
    DmaRegion txRing;
    DmaRegion txBuffers;
    DmaRegion rxRing;
    DmaRegion rxBuffers;
    int txTail;
    int rxNext;

    Bench(String extra) {
        dev = MockDevices.open("mock:82576?mac=02:00:00:00:00:01" + extra);
        model = dev.model(E82576Model.class);
        regs = dev.bar(0);
    }

    int read(int off) {
        return regs.read32(off);
    }

    void write(int off, int v) {
        regs.write32(off, v);
    }

    void advance(long nanos) {
        dev.clock().advance(nanos);
    }

    void reset() {
        write(CTRL, read(CTRL) | Ctrl.RST);
        advance(Timing.SOFTWARE_RESET_NANOS + Timing.NVM_AUTO_READ_NANOS);
    }

    void linkUp() {
        write(CTRL, read(CTRL) | Ctrl.SLU);
        mdic(Mdic.OP_WRITE, Phy.BMCR, Phy.BMCR_ANENABLE | Phy.BMCR_ANRESTART);
        advance(Timing.AUTONEG_NANOS);
    }

    int mdic(int op, int reg, int data) {
        write(MDIC, op | 1 << Mdic.PHY_SHIFT | reg << Mdic.REG_SHIFT | data);
        advance(Timing.MDIC_NANOS);
        return read(MDIC);
    }

    /** Reset, link, bus master, rings on queue 0 with the queues enabled and RCTL as given. */
    Bench up(int rctl) {
        reset();
        dev.setBusMaster(true);
        linkUp();
        txRing = dev.dma().allocate("tx-ring", COUNT * 16, 128);
        txBuffers = dev.dma().allocate("tx-buffers", COUNT * 2048, 4096);
        rxRing = dev.dma().allocate("rx-ring", COUNT * 16, 128);
        rxBuffers = dev.dma().allocate("rx-buffers", COUNT * 2048, 4096);
        write(0x3800, (int) txRing.iova());
        write(0x3804, (int) (txRing.iova() >>> 32));
        write(0x3808, COUNT * 16);
        write(TCTL, Tctl.EN | Tctl.PSP);
        write(0x2800, (int) rxRing.iova());
        write(0x2804, (int) (rxRing.iova() >>> 32));
        write(0x2808, COUNT * 16);
        write(0x280C, 2 | 0x02000000);
        write(RCTL, rctl);
        for (int i = 0; i < COUNT; i++) {
            rxRing.segment().set(LE64, i * 16L, rxBuffers.iova() + 2048L * i);
        }
        write(0x2828, QUEUE_ENABLE);
        advance(Timing.QUEUE_ENABLE_NANOS);
        write(0x2818, COUNT - 1);
        return this;
    }

    void send(byte[] frame, int cmdExtra) {
        int slot = txTail;
        txBuffers.segment().asSlice(2048L * slot, frame.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(frame));
        long d = slot * 16L;
        txRing.segment().set(LE64, d, txBuffers.iova() + 2048L * slot);
        txRing.segment().set(LE32, d + 8, frame.length | TxDesc.DTYP_DATA | TxDesc.DEXT | TxDesc.EOP | TxDesc.IFCS
                | TxDesc.RS | cmdExtra);
        txRing.segment().set(LE32, d + 12, frame.length << 14);
        txTail = (txTail + 1) % COUNT;
        write(0x3818, txTail);
    }

    /** The next received frame from queue 0, or null; the descriptor goes back to the device. */
    byte[] receive() {
        long d = rxNext * 16L;
        int status = rxRing.segment().get(LE32, d + 8);
        if ((status & RxDesc.STAT_DD) == 0) {
            return null;
        }
        int len = rxRing.segment().get(LE32, d + 12) & 0xFFFF;
        byte[] f = rxBuffers.segment().asSlice(2048L * rxNext, Math.min(len, 2048)).toArray(ValueLayout.JAVA_BYTE);
        rxRing.segment().set(LE64, d, rxBuffers.iova() + 2048L * rxNext);
        rxRing.segment().set(LE64, d + 8, 0L);
        write(0x2818, rxNext);
        rxNext = (rxNext + 1) % COUNT;
        return len > 2048 ? Arrays.copyOf(f, len) : f;
    }

    @Override
    public void close() {
        dev.close();
    }

    static byte[] frame(byte[] dst, byte[] src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq + i);
        }
        return f;
    }
}
