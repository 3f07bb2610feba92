package io.nicup.vfio.linux;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpace;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BARs of an open {@link VfioPciDevice}: what config space and the region infos say about each, and its
 * mapping, made on first use. Each mapped area has a shared arena of its own; its release (the arena closed,
 * then {@code munmap}) is pushed on the device's {@link Closer}, so the device stays the one owner and
 * releases the mappings with everything else, in reverse order.
 */
final class VfioBars {

    /** PCI config offset of BAR0 (PCI Local Bus Specification 3.0, section 6.2). */
    static final int PCI_BASE_ADDRESS_0 = 0x10;

    private final VfioKernel kernel;
    private final PciAddress address;
    private final int deviceFd;
    private final List<RegionInfo> regions;
    private final List<BarInfo> implemented;
    private final Closer closer;
    private final Map<Integer, RegisterSpace> mappedBars = new HashMap<>();

    /** Reads the BAR registers from {@code config}; maps nothing yet. */
    VfioBars(VfioKernel kernel, PciAddress address, int deviceFd, ConfigSpace config, List<RegionInfo> regions,
            Closer closer) {
        this.kernel = kernel;
        this.address = address;
        this.deviceFd = deviceFd;
        this.regions = regions;
        this.closer = closer;
        this.implemented = readBars(config, regions);
    }

    private static List<BarInfo> readBars(ConfigSpace c, List<RegionInfo> regions) {
        List<BarInfo> out = new ArrayList<>();
        for (int i = 0; i <= VfioAbi.PCI_BAR5_REGION_INDEX && i < regions.size(); i++) {
            RegionInfo r = regions.get(i);
            if (!r.implemented()) {
                continue;
            }
            int reg = c.read32(PCI_BASE_ADDRESS_0 + 4 * i);
            boolean io = (reg & 1) != 0;
            boolean is64 = !io && ((reg >>> 1) & 3) == 2;
            boolean prefetch = !io && (reg & 8) != 0;
            out.add(new BarInfo(i, r.size(), !io, is64, prefetch, !io && r.mmapAllowed()));
        }
        return Collections.unmodifiableList(out);
    }

    /** The BARs the device implements, in index order. */
    List<BarInfo> implemented() {
        return implemented;
    }

    /** BAR {@code index} as a register space, mapped on the first call and the same object after. */
    RegisterSpace registerSpace(int index) {
        synchronized (mappedBars) {
            RegisterSpace existing = mappedBars.get(index);
            if (existing != null) {
                return existing;
            }
            BarInfo bar = implemented.stream().filter(b -> b.index() == index).findFirst().orElseThrow(
                    () -> new DeviceAccessException(Reason.NOT_FOUND, "BAR not implemented: bdf=" + address + " bar="
                            + index, "the device implements: "
                            + implemented.stream().map(b -> "BAR" + b.index()).toList()));
            if (!bar.memory()) {
                throw new DeviceAccessException(Reason.UNSUPPORTED, "BAR is I/O space: bdf=" + address + " bar="
                        + index, "I/O BARs cannot be mapped; use a memory BAR");
            }
            RegionInfo region = regions.get(index);
            if (!region.mmapAllowed()) {
                throw new DeviceAccessException(Reason.UNSUPPORTED, "BAR cannot be mapped: bdf=" + address + " "
                        + region, "the kernel does not allow mmap of this BAR");
            }
            RegisterSpace space = region.hasSparseMmap() ? mapSparse(region) : mapWhole(region);
            mappedBars.put(index, space);
            return space;
        }
    }

    private MappedRegisterSpace mapArea(RegionInfo region, long offset, long size) {
        Arena arena = Arena.ofShared();
        MemorySegment seg;
        try {
            seg = kernel.mmapRegion(deviceFd, region.offset() + offset, size, arena);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
        long addr = seg.address();
        closer.push(region.name() + (offset == 0 && size == region.size() ? "" : String.format("@0x%x", offset)),
                () -> {
                    arena.close();
                    kernel.munmap(addr, size);
                });
        return new MappedRegisterSpace(seg);
    }

    private RegisterSpace mapWhole(RegionInfo region) {
        return mapArea(region, 0, region.size());
    }

    private RegisterSpace mapSparse(RegionInfo region) {
        List<SparseRegisterSpace.Area> areas = new ArrayList<>();
        for (SparseArea a : region.sparseAreas()) {
            if (a.size() > 0) {
                areas.add(new SparseRegisterSpace.Area(a.offset(), mapArea(region, a.offset(), a.size())));
            }
        }
        return new SparseRegisterSpace(kernel, deviceFd, region, areas);
    }
}
