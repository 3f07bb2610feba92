package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.SharedMemory;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.core.SharedMemoryRegion;
import io.nicup.vfio.DmaRegion;

/**
 * The NDIS memory of an Intel adapter's data path: shared memory for the TX and RX descriptor rings, the
 * receive buffers and the self-test buffers, and the receive NBLs, made once over the receive buffers
 * (NBL i describes buffer i) so that receiving allocates nothing. {@link #allocateMemory} and
 * {@link #allocateReceiveNbls} take it in that order in MiniportInitializeEx; {@link #release} gives
 * back, in the reverse order, whatever part of it was taken, for MiniportHaltEx and for the failure path
 * of MiniportInitializeEx.
 */
public final class DataPathMemory {

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private SharedMemory txRingMemory;
    /** One descriptor ring per receive queue. */
    private SharedMemory[] rxRingMemory = new SharedMemory[0];
    private SharedMemory rxBufferMemory;
    private SharedMemory selftestMemory;
    private PacketBufferPool rxPool;
    private PacketBufferPool selftestPool;
    private NetBufferListPool rxNblPool;
    private NetBufferList[] rxNbl;

    public DataPathMemory(Ndis ndis, NdisAdapterHandle handle) {
        this.ndis = ndis;
        this.handle = handle;
    }

    /**
     * Allocates the shared memory: the rings ({@code txRingBytes}, {@code rxRingBytes} for each of
     * {@code rxQueues} receive rings), {@code rxCount} receive buffers of {@code bufferSize} bytes (for every
     * queue together) and {@code selftestFrames} self-test buffers of {@code selftestBuffer} bytes. Throws the
     * NdisStatusException of a refused allocation; what was taken before it is still here for {@link #release}.
     */
    public void allocateMemory(long txRingBytes, long rxRingBytes, int rxQueues, int rxCount, int bufferSize,
            int selftestFrames, int selftestBuffer) {
        txRingMemory = ndis.NdisMAllocateSharedMemory(handle, txRingBytes, true, "tx-ring");
        rxRingMemory = new SharedMemory[rxQueues];
        for (int q = 0; q < rxQueues; q++) {
            rxRingMemory[q] = ndis.NdisMAllocateSharedMemory(handle, rxRingBytes, true, q == 0 ? "rx-ring" : "rx-ring-" + q);
        }
        rxBufferMemory = ndis.NdisMAllocateSharedMemory(handle, (long) rxCount * bufferSize, true, "rx-buffers");
        selftestMemory = ndis.NdisMAllocateSharedMemory(handle, (long) selftestFrames * selftestBuffer, true,
                "selftest-buffers");
        rxPool = new PacketBufferPool(new SharedMemoryRegion(rxBufferMemory), bufferSize, rxCount);
        selftestPool = new PacketBufferPool(new SharedMemoryRegion(selftestMemory), selftestBuffer, selftestFrames);
    }

    /** Allocates the NBL pool and one NBL over each of the {@code rxCount} receive buffers. */
    public void allocateReceiveNbls(int rxCount) {
        rxNblPool = ndis.NdisAllocateNetBufferListPool(handle, NetBufferListPoolParameters.withoutData(rxCount, "rx"));
        rxNbl = new NetBufferList[rxCount];
        for (int i = 0; i < rxCount; i++) {
            rxNbl[i] = rxNblPool.allocate(rxPool.segment(i), rxPool.iova(i), 0, 0);
            rxNbl[i].setMiniportReservedIndex(i);   // read back per returned NBL: an int, no unboxing
        }
    }

    /** The TX descriptor ring's memory. */
    public DmaRegion txRing() {
        return new SharedMemoryRegion(txRingMemory);
    }

    /** The memory of receive queue {@code queue}'s descriptor ring. */
    public DmaRegion rxRing(int queue) {
        return new SharedMemoryRegion(rxRingMemory[queue]);
    }

    /** The receive buffers. */
    public PacketBufferPool rxPool() {
        return rxPool;
    }

    /** The self-test buffers, allocated with the rings so that diagnostics allocate nothing. */
    public PacketBufferPool selftestPool() {
        return selftestPool;
    }

    /** The NBL of receive buffer {@code buffer}; its MiniportReserved[0] holds the buffer index. */
    public NetBufferList rxNbl(int buffer) {
        return rxNbl[buffer];
    }

    /** Gives back what was allocated: the NBLs and their pool, then the memory, last first. */
    public void release() {
        if (rxNblPool != null) {
            for (NetBufferList nbl : rxNbl) {
                if (nbl != null) {
                    rxNblPool.free(nbl);
                }
            }
            ndis.NdisFreeNetBufferListPool(rxNblPool);
            rxNblPool = null;
        }
        selftestMemory = free(selftestMemory);
        rxBufferMemory = free(rxBufferMemory);
        for (int q = rxRingMemory.length - 1; q >= 0; q--) {
            rxRingMemory[q] = free(rxRingMemory[q]);
        }
        txRingMemory = free(txRingMemory);
    }

    private SharedMemory free(SharedMemory m) {
        if (m != null) {
            ndis.NdisMFreeSharedMemory(handle, m);
        }
        return null;
    }
}
