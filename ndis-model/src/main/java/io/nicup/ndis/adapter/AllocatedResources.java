package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;
import io.nicup.vfio.BarInfo;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.PciDevice;
import java.util.ArrayList;
import java.util.List;

/**
 * The hardware resources NDIS assigned to the adapter (NDIS_MINIPORT_INIT_PARAMETERS.AllocatedResources,
 * a CM_RESOURCE_LIST in Windows): the device's memory BARs and the interrupt vectors it offers per mode.
 * A miniport maps a memory resource with {@link Ndis#NdisMMapIoSpace} and registers interrupts with
 * {@link Ndis#NdisMRegisterInterruptEx}.
 */
public record AllocatedResources(List<MemoryResource> memory, List<InterruptResource> interrupts) {

    /** One memory BAR ("CmResourceTypeMemory"). */
    public record MemoryResource(int barIndex, long length, boolean prefetchable, boolean is64Bit) {
    }

    /** The vectors a device offers in one mode (CmResourceTypeInterrupt; MessageCount for MSI/MSI-X). */
    public record InterruptResource(InterruptMode mode, int messageCount) {
    }

    public AllocatedResources {
        memory = List.copyOf(memory);
        interrupts = List.copyOf(interrupts);
    }

    /** The resources of a device: every mappable memory BAR, every interrupt mode with vectors. */
    static AllocatedResources of(PciDevice device) {
        List<MemoryResource> memory = new ArrayList<>();
        for (BarInfo bar : device.bars()) {
            if (bar.memory() && bar.mappable() && bar.size() > 0) {
                memory.add(new MemoryResource(bar.index(), bar.size(), bar.prefetchable(), bar.is64Bit()));
            }
        }
        List<InterruptResource> interrupts = new ArrayList<>();
        for (InterruptMode mode : InterruptMode.values()) {
            int n = device.interrupts().maxVectors(mode);
            if (n > 0) {
                interrupts.add(new InterruptResource(mode, n));
            }
        }
        return new AllocatedResources(memory, interrupts);
    }

    /** The memory resource of BAR {@code index}, or null. */
    public MemoryResource bar(int index) {
        for (MemoryResource m : memory) {
            if (m.barIndex() == index) {
                return m;
            }
        }
        return null;
    }
}
