package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The advanced rings of queue 0 over test memory, with a register file and a minimal device that
 * consumes TX descriptors (writing DD back) and fills RX descriptors (advanced write-back), as the 82576
 * does: enough to test the rings alone.
 */
final class RingBench implements AutoCloseable {

    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final Arena arena = Arena.ofShared();
    final Regs regs = new Regs();
    final Region txMemory;
    final Region rxMemory;
    final Region buffers;
    final PacketBufferPool pool;
    final AdvTxRing tx;
    final AdvRxRing rx;
    final List<long[]> transmitted = new ArrayList<>();   // {iova, length, paylen}
    private int txHead;
    private int rxHead;

    RingBench(int count, int bufferCount) {
        txMemory = new Region("tx-ring", 0x1_0000_0000L, (long) count * 16);
        rxMemory = new Region("rx-ring", 0x1_0010_0000L, (long) count * 16);
        buffers = new Region("rx-buffers", 0x2_0000_0000L, (long) bufferCount * 2048);
        pool = new PacketBufferPool(buffers, 2048, bufferCount);
        tx = new AdvTxRing(txMemory, regs, 0, count);
        rx = new AdvRxRing(rxMemory, regs, 0, count, pool);
        tx.writeRingRegisters();
        rx.writeRingRegisters();
    }

    /** The device sends up to {@code n} descriptors between TDH and TDT, writing DD back (RS). */
    int transmit(int n) {
        int count = tx.count();
        int tdt = regs.read32(Regs82576.TDT(0));
        int done = 0;
        while (done < n && txHead != tdt) {
            long d = (long) txHead * 16;
            MemorySegment ring = txMemory.segment;
            int cmd = ring.get(LE32, d + 8);
            int olinfo = ring.get(LE32, d + 12);
            transmitted.add(new long[] {ring.get(LE64, d), cmd & 0xFFFF, olinfo >>> AdvTxDescriptor.PAYLEN_SHIFT, cmd});
            if ((cmd & AdvTxDescriptor.DCMD_RS) != 0) {
                ring.set(LE32, d + 12, olinfo | AdvTxDescriptor.STA_DD);
            }
            txHead = (txHead + 1) % count;
            done++;
        }
        regs.write32(Regs82576.TDH(0), txHead);
        return done;
    }

    /** The device receives a frame of {@code length} bytes with {@code fill} into the next descriptor; false when none. */
    boolean receive(int length, byte fill, int extraStatus) {
        int rdt = regs.read32(Regs82576.RDT(0));
        if (rxHead == rdt) {
            return false;
        }
        long d = (long) rxHead * 16;
        MemorySegment ring = rxMemory.segment;
        long iova = ring.get(LE64, d);
        long off = iova - buffers.iova;
        buffers.segment.asSlice(off, Math.min(length, 2048)).fill(fill);
        ring.set(LE64, d, 0L);
        ring.set(LE32, d + 12, length & 0xFFFF);
        ring.set(LE32, d + 8, AdvRxDescriptor.STAT_DD | AdvRxDescriptor.STAT_EOP | extraStatus);
        rxHead = (rxHead + 1) % rx.count();
        regs.write32(Regs82576.RDH(0), rxHead);
        return true;
    }

    @Override
    public void close() {
        arena.close();
    }

    final class Region implements DmaRegion {
        final String purpose;
        final long iova;
        final MemorySegment segment;

        Region(String purpose, long iova, long size) {
            this.purpose = purpose;
            this.iova = iova;
            this.segment = arena.allocate(size, 4096);
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public long iova() {
            return iova;
        }

        @Override
        public long size() {
            return segment.byteSize();
        }

        @Override
        public String purpose() {
            return purpose;
        }

        @Override
        public void close() {
        }
    }

    /** A register file that counts writes per offset. */
    static final class Regs implements RegisterSpace {
        final Map<Long, Integer> values = new HashMap<>();
        final Map<Long, Integer> writes = new HashMap<>();

        int writeCount(long offset) {
            return writes.getOrDefault(offset, 0);
        }

        @Override
        public long size() {
            return 128 * 1024;
        }

        @Override
        public int read32(long offset) {
            return values.getOrDefault(offset, 0);
        }

        @Override
        public void write32(long offset, int value) {
            values.put(offset, value);
            writes.merge(offset, 1, Integer::sum);
        }

        @Override
        public byte read8(long offset) {
            throw new UnsupportedOperationException("the 82576 registers the rings use are 32-bit");
        }

        @Override
        public short read16(long offset) {
            throw new UnsupportedOperationException("the 82576 registers the rings use are 32-bit");
        }

        @Override
        public long read64(long offset) {
            throw new UnsupportedOperationException("the 82576 registers the rings use are 32-bit");
        }

        @Override
        public void write8(long offset, byte value) {
            throw new UnsupportedOperationException("the 82576 registers the rings use are 32-bit");
        }

        @Override
        public void write16(long offset, short value) {
            throw new UnsupportedOperationException("the 82576 registers the rings use are 32-bit");
        }

        @Override
        public void write64(long offset, long value) {
            throw new UnsupportedOperationException("the 82576 registers the rings use are 32-bit");
        }
    }
}
