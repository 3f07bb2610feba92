package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.util.Map;

/**
 * The hardware resources a miniport takes in MiniportInitializeEx and gives back in MiniportHaltEx:
 * NdisMMapIoSpace, PCI configuration space, NdisMRegisterScatterGatherDma and shared memory. Each one
 * held is an entry in the adapter's ledger, so a leak is named at halt.
 */
@NdisInternal
public final class ResourceCalls extends NdisCallSupport {

    private static final long SHARED_MEMORY_ALIGNMENT = 4096;

    public ResourceCalls(HostServices services, ProtocolDelivery delivery, Object owner) {
        super(services, delivery, owner);
    }

    public NdisIoSpace NdisMMapIoSpace(NdisAdapterHandle miniportAdapterHandle, AllocatedResources.MemoryResource resource) {
        Map<String, String> detail = Map.of("bar", resource == null ? "null" : Integer.toString(resource.barIndex()));
        return adapterHandleCall(NdisCall.NdisMMapIoSpace, miniportAdapterHandle, detail, a -> {
            requireRegistrationAttributes(a, NdisCall.NdisMMapIoSpace);
            injected(NdisCall.NdisMMapIoSpace);
            AllocatedResources.MemoryResource known = resource == null ? null
                    : AllocatedResources.of(a.device()).bar(resource.barIndex());
            if (known == null) {
                throw new NdisStatusException(NdisCall.NdisMMapIoSpace, NdisStatus.INVALID_PARAMETER,
                        "adapter=" + a.name() + " resource=" + resource + " not allocated to this adapter");
            }
            RegisterSpace regs;
            try {
                regs = a.device().bar(known.barIndex());
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisMMapIoSpace, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " bar=" + known.barIndex() + " error=" + e.getMessage());
            }
            NdisIoSpace io = new NdisIoSpace(a, known.barIndex(), regs);
            io.entry = acquire(a, ResourceLedger.Kind.IO_SPACE, "IoSpace(BAR" + known.barIndex() + ", " + regs.size()
                    + " bytes)", io::invalidate);
            return io;
        });
    }

    public void NdisMUnmapIoSpace(NdisAdapterHandle miniportAdapterHandle, NdisIoSpace virtualAddress) {
        adapterStatusCall(NdisCall.NdisMUnmapIoSpace, miniportAdapterHandle, Map.of(), a -> {
            if (release(a, virtualAddress.entry, NdisCall.NdisMUnmapIoSpace)) {
                virtualAddress.invalidate();
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    public int NdisMGetBusData(NdisAdapterHandle miniportAdapterHandle, int offset, byte[] buffer) {
        int[] n = new int[1];
        adapterStatusCall(NdisCall.NdisMGetBusData, miniportAdapterHandle, Map.of("offset", Integer.toString(offset),
                "length", Integer.toString(buffer.length)), a -> {
                    n[0] = Math.max(0, Math.min(buffer.length, a.device().config().size() - offset));
                    for (int i = 0; i < n[0]; i++) {
                        buffer[i] = (byte) a.device().config().read8(offset + i);
                    }
                    return NdisStatus.SUCCESS;
                });
        return n[0];
    }

    public int NdisMSetBusData(NdisAdapterHandle miniportAdapterHandle, int offset, byte[] buffer) {
        int[] n = new int[1];
        adapterStatusCall(NdisCall.NdisMSetBusData, miniportAdapterHandle, Map.of("offset", Integer.toString(offset),
                "length", Integer.toString(buffer.length)), a -> {
                    n[0] = Math.max(0, Math.min(buffer.length, a.device().config().size() - offset));
                    for (int i = 0; i < n[0]; i++) {
                        a.device().config().write8(offset + i, buffer[i] & 0xFF);
                    }
                    return NdisStatus.SUCCESS;
                });
        return n[0];
    }

    public NdisDmaHandle NdisMRegisterScatterGatherDma(NdisAdapterHandle miniportAdapterHandle,
            ScatterGatherDmaDescription dmaDescription) {
        return adapterHandleCall(NdisCall.NdisMRegisterScatterGatherDma, miniportAdapterHandle, Map.of(), a -> {
            requireRegistrationAttributes(a, NdisCall.NdisMRegisterScatterGatherDma);
            if ((a.registrationAttributes().attributeFlags() & MiniportAdapterAttributes.Registration.BUS_MASTER) == 0) {
                throw rejectHandle(a, Rule.DMA_BUS_MASTER, NdisCall.NdisMRegisterScatterGatherDma,
                        NdisStatus.NOT_SUPPORTED, String.format("attribute_flags=0x%X", a.registrationAttributes().attributeFlags()));
            }
            if (a.resources.dma != null) {
                throw rejectHandle(a, Rule.DMA_BEFORE_SHARED_MEMORY, NdisCall.NdisMRegisterScatterGatherDma,
                        NdisStatus.FAILURE, "already_registered=true");
            }
            injected(NdisCall.NdisMRegisterScatterGatherDma);
            a.device().setBusMaster(true);
            NdisDmaHandle dma = new NdisDmaHandle(a, dmaDescription);
            dma.entry = acquire(a, ResourceLedger.Kind.SCATTER_GATHER_DMA, "ScatterGatherDma", () -> {
                a.resources.dma = null;
                a.device().setBusMaster(false);
            });
            a.resources.dma = dma;
            return dma;
        });
    }

    public void NdisMDeregisterScatterGatherDma(NdisDmaHandle miniportDmaHandle) {
        adapterStatusCall(NdisCall.NdisMDeregisterScatterGatherDma, miniportDmaHandle.adapter.handle, Map.of(), a -> {
            if (release(a, miniportDmaHandle.entry, NdisCall.NdisMDeregisterScatterGatherDma)) {
                a.resources.dma = null;
                a.device().setBusMaster(false);
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    public SharedMemory NdisMAllocateSharedMemory(NdisAdapterHandle miniportAdapterHandle, long length, boolean cached,
            String purpose) {
        Map<String, String> detail = Map.of("length", Long.toString(length), "purpose", purpose);
        return adapterHandleCall(NdisCall.NdisMAllocateSharedMemory, miniportAdapterHandle, detail, a -> {
            if (a.resources.dma == null) {
                throw rejectHandle(a, Rule.DMA_BEFORE_SHARED_MEMORY, NdisCall.NdisMAllocateSharedMemory,
                        NdisStatus.FAILURE, "purpose=" + purpose + " dma=not_registered");
            }
            injected(NdisCall.NdisMAllocateSharedMemory);
            DmaRegion region;
            try {
                long alignment = Math.min(SHARED_MEMORY_ALIGNMENT, a.device().dma().pageSize());
                region = a.device().dma().allocate(purpose, length, alignment);
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisMAllocateSharedMemory, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " purpose=" + purpose + " error=" + e.getMessage());
            }
            SharedMemory memory = new SharedMemory(a, region, cached);
            // The device address in the trace: a soak can show that the same IOVAs are mapped afresh each cycle.
            memory.entry = acquire(a, ResourceLedger.Kind.SHARED_MEMORY, "SharedMemory(" + purpose + ", " + length
                    + " bytes)", region::close, Map.of("iova", "0x" + Long.toHexString(region.iova()),
                            "bytes", Long.toString(region.size())));
            return memory;
        });
    }

    public void NdisMFreeSharedMemory(NdisAdapterHandle miniportAdapterHandle, SharedMemory memory) {
        adapterStatusCall(NdisCall.NdisMFreeSharedMemory, miniportAdapterHandle, Map.of("purpose", memory.purpose()), a -> {
            if (release(a, memory.entry, NdisCall.NdisMFreeSharedMemory)) {
                memory.region.close();
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }
}
