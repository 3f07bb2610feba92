package io.nicup.benchmarks;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.ndis.miniport.i82576.Regs82576;
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
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark device under the product's miniports. Until {@link #handOver} it is the simulated chip
 * of mock-device (config space, BAR0, MSI-X, DMA): the miniport's MiniportInitializeEx and
 * MiniportRestartEx run unchanged against a device that answers every reset, NVM, PHY and link poll.
 * From the hand-over on, BAR0 is ordinary memory ({@link HandoverRegisterSpace}), the rings the miniport
 * programmed are served by {@link BenchDevice} (the same device code as the raw-ring variants), and the
 * interrupts are the vectors {@link #raise} marked, which {@code NdisHost.pollInterrupts} dispatches to
 * the miniport's ISR and DPC as it dispatches the simulated chip's. The device side per batch is
 * therefore {@link BenchDevice}'s descriptor writes, one bit set per raised vector and the
 * hand-over branch on each register access; {@code product_device_*} measures it alone.
 */
final class ProductDevice implements PciDevice {

    private final MockPciDevice model;
    private final Arena arena = Arena.ofShared();
    private final HandoverRegisterSpace bar0;
    private final List<DmaRegion> regions = new ArrayList<>();
    private final RecordingDma dma;
    private long raised;
    private boolean handedOver;

    ProductDevice(String spec) {
        this.model = MockDevices.open(spec);
        RegisterSpace modelBar0 = model.bar(0);
        this.bar0 = new HandoverRegisterSpace(modelBar0, arena.allocate(modelBar0.size(), 4096));
        this.dma = new RecordingDma(model.dma());
    }

    /**
     * Moves the data path from the simulated chip to {@link BenchDevice}: copies {@code nic}'s data-path
     * registers into memory and finds queue 0's rings among the DMA regions the miniport allocated.
     */
    BenchDevice handOver(ProductNic nic) {
        bar0.handOver(nic.dataPathRegisters);
        handedOver = true;
        MemorySegment regs = bar0.memory();
        MemorySegment tx = ring(regs, nic.tdbal, nic.tdbah, nic.tdlen);
        MemorySegment rx = ring(regs, nic.rdbal, nic.rdbah, nic.rdlen);
        int count = (int) (tx.byteSize() / 16);
        if (rx.byteSize() / 16 != count) {
            throw new IllegalStateException("benchmark needs rings of one size: tx=" + count + ", rx=" + rx.byteSize() / 16);
        }
        int txHead = regs.get(ValueLayout.JAVA_INT_UNALIGNED, nic.layout.tdh());
        int rxHead = regs.get(ValueLayout.JAVA_INT_UNALIGNED, nic.layout.rdh());
        return new BenchDevice(regs, tx, rx, count, nic.layout, txHead, rxHead);
    }

    /**
     * {@link #handOver} for an 82576 adapter with {@code queues} receive queues: one {@link BenchDevice} per
     * queue over queue q's receive ring and registers, each over the one transmit ring (which only one
     * caller at a time may {@link BenchDevice#transmit}).
     */
    BenchDevice[] handOverQueues(int queues) {
        ProductNic nic = ProductNic.I82576;
        long[] registers = java.util.Arrays.copyOf(nic.dataPathRegisters, nic.dataPathRegisters.length + 5 * queues);
        for (int q = 0; q < queues; q++) {
            int at = nic.dataPathRegisters.length + 5 * q;
            registers[at] = Regs82576.RDT(q);
            registers[at + 1] = Regs82576.RDH(q);
            registers[at + 2] = Regs82576.RDBAL(q);
            registers[at + 3] = Regs82576.RDBAH(q);
            registers[at + 4] = Regs82576.RDLEN(q);
        }
        bar0.handOver(registers);
        handedOver = true;
        MemorySegment regs = bar0.memory();
        MemorySegment tx = ring(regs, nic.tdbal, nic.tdbah, nic.tdlen);
        int count = (int) (tx.byteSize() / 16);
        int txHead = regs.get(ValueLayout.JAVA_INT_UNALIGNED, nic.layout.tdh());
        BenchDevice[] devices = new BenchDevice[queues];
        for (int q = 0; q < queues; q++) {
            MemorySegment rx = ring(regs, Regs82576.RDBAL(q), Regs82576.RDBAH(q), Regs82576.RDLEN(q));
            if (rx.byteSize() / 16 != count) {
                throw new IllegalStateException("benchmark needs rings of one size: tx=" + count + ", rx" + q + "="
                        + rx.byteSize() / 16);
            }
            BenchDevice.Layout l = nic.layout;
            BenchDevice.Layout layout = new BenchDevice.Layout(l.tdt(), l.tdh(), Regs82576.RDT(q), Regs82576.RDH(q),
                    l.rxStatus(), l.rxLength(), l.lowerQuad());
            devices[q] = new BenchDevice(regs, tx, rx, count, layout, txHead,
                    regs.get(ValueLayout.JAVA_INT_UNALIGNED, Regs82576.RDH(q)));
        }
        return devices;
    }

    private MemorySegment ring(MemorySegment regs, long bal, long bah, long len) {
        long iova = Integer.toUnsignedLong(regs.get(ValueLayout.JAVA_INT_UNALIGNED, bal))
                | (long) regs.get(ValueLayout.JAVA_INT_UNALIGNED, bah) << 32;
        long bytes = Integer.toUnsignedLong(regs.get(ValueLayout.JAVA_INT_UNALIGNED, len));
        for (DmaRegion r : regions) {
            if (iova >= r.iova() && iova + bytes <= r.iova() + r.size()) {
                return r.segment().asSlice(iova - r.iova(), bytes);
            }
        }
        throw new IllegalStateException("ring not in any DMA region: iova=0x" + Long.toHexString(iova) + ", bytes=" + bytes);
    }

    /** The device signals MSI-X {@code vector} (after the hand-over). */
    void raise(int vector) {
        raised |= 1L << vector;
    }

    @Override
    public PciAddress address() {
        return model.address();
    }

    @Override
    public DeviceIdentity identity() {
        return model.identity();
    }

    @Override
    public ConfigSpace config() {
        return model.config();
    }

    @Override
    public List<BarInfo> bars() {
        return model.bars();
    }

    @Override
    public RegisterSpace bar(int index) {
        return index == 0 ? bar0 : model.bar(index);
    }

    @Override
    public DmaAllocator dma() {
        return dma;
    }

    @Override
    public Interrupts interrupts() {
        Interrupts modelInterrupts = model.interrupts();
        return new Interrupts() {
            @Override
            public int maxVectors(InterruptMode mode) {
                return modelInterrupts.maxVectors(mode);
            }

            @Override
            public InterruptSet enable(InterruptMode mode, int count) {
                return new HandoverInterrupts(modelInterrupts.enable(mode, count));
            }
        };
    }

    @Override
    public DeviceClock clock() {
        return model.clock();
    }

    @Override
    public void setBusMaster(boolean enabled) {
        model.setBusMaster(enabled);
    }

    @Override
    public boolean canReset() {
        return model.canReset();
    }

    @Override
    public void reset() {
        model.reset();
    }

    @Override
    public String description() {
        return "benchmark device (" + model.description() + " until the data path starts, then memory)";
    }

    @Override
    public void close() {
        model.close();
        arena.close();
    }

    /** The simulated chip's vectors until the hand-over, then what {@link #raise} marked. */
    private final class HandoverInterrupts implements InterruptSet {
        private final InterruptSet modelSet;

        HandoverInterrupts(InterruptSet modelSet) {
            this.modelSet = modelSet;
        }

        @Override
        public InterruptMode mode() {
            return modelSet.mode();
        }

        @Override
        public int count() {
            return modelSet.count();
        }

        @Override
        public long await(long timeoutNanos) {
            return handedOver ? poll() : modelSet.await(timeoutNanos);
        }

        @Override
        public long poll() {
            if (!handedOver) {
                return modelSet.poll();
            }
            long fired = raised;
            raised = 0;
            return fired;
        }

        @Override
        public void acknowledge(int vector) {
            if (!handedOver) {
                modelSet.acknowledge(vector);
            }
        }

        @Override
        public long events(int vector) {
            return modelSet.events(vector);
        }

        @Override
        public void close() {
            modelSet.close();
        }
    }

    /** The simulated chip's DMA memory, remembering each region so the hand-over can find the rings. */
    private final class RecordingDma implements DmaAllocator {
        private final DmaAllocator modelDma;

        RecordingDma(DmaAllocator modelDma) {
            this.modelDma = modelDma;
        }

        @Override
        public DmaRegion allocate(String purpose, long size, long alignment) {
            DmaRegion r = modelDma.allocate(purpose, size, alignment);
            regions.add(r);
            return r;
        }

        @Override
        public long pageSize() {
            return modelDma.pageSize();
        }

        @Override
        public boolean hugePages() {
            return modelDma.hugePages();
        }

        @Override
        public String fallbackReason() {
            return modelDma.fallbackReason();
        }

        @Override
        public int liveRegions() {
            return modelDma.liveRegions();
        }
    }
}
