package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.miniport.core.PacketBufferPool;

/**
 * One TX and one RX queue 0 over test memory, with a {@link RecordingRegisterSpace} and a
 * {@link FakeDevice}. The rings are programmed ({@code writeRingRegisters}) but the RX ring is not filled.
 */
final class Rig implements AutoCloseable {

    static final long TX_RING_IOVA = 0x1_0000_0000L;
    static final long RX_RING_IOVA = 0x1_0010_0000L;
    static final long BUFFERS_IOVA = 0x2_0000_0000L;

    final RecordingRegisterSpace regs = new RecordingRegisterSpace();
    final ArenaDmaRegion txMemory;
    final ArenaDmaRegion rxMemory;
    final ArenaDmaRegion bufferMemory;
    final PacketBufferPool pool;
    final TxRing tx;
    final RxRing rx;
    final FakeDevice device;

    Rig(int txCount, int rxCount, int bufferSize, int buffers) {
        txMemory = new ArenaDmaRegion("tx-ring", (long) txCount * 16, 128, TX_RING_IOVA);
        rxMemory = new ArenaDmaRegion("rx-ring", (long) rxCount * 16, 128, RX_RING_IOVA);
        bufferMemory = new ArenaDmaRegion("rx-buffers", (long) buffers * bufferSize, 4096, BUFFERS_IOVA);
        pool = new PacketBufferPool(bufferMemory, bufferSize, buffers);
        tx = new TxRing(txMemory, regs, 0, txCount);
        rx = new RxRing(rxMemory, regs, 0, rxCount, pool);
        tx.writeRingRegisters();
        rx.writeRingRegisters();
        device = new FakeDevice(regs, tx.descriptors(), txCount, rx.descriptors(), rxCount, bufferMemory, bufferSize);
        regs.clearLog();
    }

    static Rig of(int count) {
        return new Rig(count, count, PacketBufferPool.DEFAULT_BUFFER_SIZE, 2 * count);
    }

    @Override
    public void close() {
        txMemory.close();
        rxMemory.close();
        bufferMemory.close();
    }
}
