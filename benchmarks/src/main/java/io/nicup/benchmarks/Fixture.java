package io.nicup.benchmarks;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.TxRing;
import io.nicup.vfio.linux.MappedRegisterSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The memory every variant works on, laid out the same way for all: a TX ring of {@code ringSize} legacy
 * transmit descriptors and an RX ring of {@code ringSize} extended receive descriptors (both 16 bytes, 4 KiB
 * aligned; the formats of {@code TxRing} and {@code ExtRxRing}, the 82574L driver's rings), 2048-byte packet
 * buffers, a 128 KiB register segment, and the {@link BenchDevice} writing back in the extended format
 * ({@link BenchDevice.Layout#EXTENDED_82574}). Owned by one benchmark trial; {@link #close()} frees it.
 */
final class Fixture implements AutoCloseable {

    static final int REGISTER_BYTES = 128 * 1024;

    final Arena arena = Arena.ofShared();
    final int ringSize;
    final BenchDmaRegion txRegion;
    final BenchDmaRegion rxRegion;
    final BenchDmaRegion bufferRegion;
    final MemorySegment registers;
    final MappedRegisterSpace regs;
    final PacketBufferPool pool;
    final BenchDevice device;

    Fixture(int ringSize) {
        this.ringSize = ringSize;
        txRegion = new BenchDmaRegion(arena, "tx-ring", (long) ringSize * 16, 4096);
        rxRegion = new BenchDmaRegion(arena, "rx-ring", (long) ringSize * 16, 4096);
        // RX ring full (count - 1) + a TX ring's worth in flight + a batch held by the caller.
        int buffers = 2 * ringSize + BenchmarkHeader.PACKETS;
        bufferRegion = new BenchDmaRegion(arena, "packet-buffers", (long) buffers * PacketBufferPool.DEFAULT_BUFFER_SIZE,
                2 * 1024 * 1024);
        registers = arena.allocate(REGISTER_BYTES, 4096);
        regs = new MappedRegisterSpace(registers); // the product's register space over ordinary memory
        pool = new PacketBufferPool(bufferRegion, PacketBufferPool.DEFAULT_BUFFER_SIZE, buffers);
        device = new BenchDevice(registers, txRegion.segment(), rxRegion.segment(), ringSize,
                BenchDevice.Layout.EXTENDED_82574, 0, 0);
    }

    /** Puts {@link TxRing#CMD} into every TX descriptor, so the device-only benchmark sees RS as in a real run. */
    void prefillTxCommands() {
        for (int i = 0; i < ringSize; i++) {
            LegacyTxDescriptor.LOWER_DATA.set(txRegion.segment(), (long) i * 16,
                    LegacyTxDescriptor.lower(BenchDevice.FRAME_LENGTH, TxRing.CMD));
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
