package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;

/**
 * A chip's descriptor rings as the adapter allocates them: how many bytes one descriptor takes, and the
 * ring classes that know its layout. Used once per initialization; the rings themselves are one concrete
 * class each, so the data path never calls through this.
 *
 * @param txDescriptorBytes bytes of one transmit descriptor
 * @param rxDescriptorBytes bytes of one receive descriptor
 * @param tx makes the transmit ring of a queue over its descriptor memory
 * @param rx makes the receive ring of a queue over its descriptor memory and buffer pool
 */
public record RingLayout(int txDescriptorBytes, int rxDescriptorBytes, TxFactory tx, RxFactory rx) {

    /** The transmit ring of queue {@code queue} with {@code count} descriptors. */
    @FunctionalInterface
    public interface TxFactory {
        TxDescriptorRing open(DmaRegion descriptors, RegisterSpace regs, int queue, int count);
    }

    /** The receive ring of queue {@code queue} with {@code count} descriptors, buffers from {@code pool}. */
    @FunctionalInterface
    public interface RxFactory {
        RxDescriptorRing open(DmaRegion descriptors, RegisterSpace regs, int queue, int count, PacketBufferPool pool);
    }
}
