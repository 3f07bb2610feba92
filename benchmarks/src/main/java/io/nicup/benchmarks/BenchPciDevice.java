package io.nicup.benchmarks;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpace;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.Interrupts;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.RegisterSpace;
import java.util.List;

/**
 * The device as {@link NdisPath}'s host sees it: the fixture's register segment as BAR0, DMA memory from
 * its arena, no config space and no interrupts (the host polls).
 */
final class BenchPciDevice implements PciDevice {

    private static final PciAddress ADDRESS = new PciAddress(0, 0, 1, 0);

    private final Fixture fixture;
    private int liveRegions;

    BenchPciDevice(Fixture fixture) {
        this.fixture = fixture;
    }

    @Override
    public PciAddress address() {
        return ADDRESS;
    }

    @Override
    public DeviceIdentity identity() {
        return new DeviceIdentity(0x8086, 0x10D3, 0x8086, 0x0000, 0x020000, 0);
    }

    @Override
    public ConfigSpace config() {
        throw new UnsupportedOperationException("the benchmark device has no config space");
    }

    @Override
    public List<BarInfo> bars() {
        return List.of();
    }

    @Override
    public RegisterSpace bar(int index) {
        return fixture.regs;
    }

    @Override
    public DmaAllocator dma() {
        return new DmaAllocator() {
            @Override
            public DmaRegion allocate(String purpose, long size, long alignment) {
                liveRegions++;
                return new BenchDmaRegion(fixture.arena, purpose, Math.max(size, 1), Math.max(alignment, 1));
            }

            @Override
            public long pageSize() {
                return 4096;
            }

            @Override
            public boolean hugePages() {
                return false;
            }

            @Override
            public String fallbackReason() {
                return "benchmark memory";
            }

            @Override
            public int liveRegions() {
                return liveRegions;
            }
        };
    }

    @Override
    public Interrupts interrupts() {
        return new Interrupts() {
            @Override
            public int maxVectors(InterruptMode mode) {
                return 0;
            }

            @Override
            public InterruptSet enable(InterruptMode mode, int count) {
                throw new UnsupportedOperationException("the benchmark device has no interrupts");
            }
        };
    }

    @Override
    public DeviceClock clock() {
        return DeviceClock.SYSTEM;
    }

    @Override
    public void setBusMaster(boolean enabled) {
    }

    @Override
    public boolean canReset() {
        return false;
    }

    @Override
    public void reset() {
    }

    @Override
    public String description() {
        return "benchmark device (memory only)";
    }

    @Override
    public void close() {
    }
}
