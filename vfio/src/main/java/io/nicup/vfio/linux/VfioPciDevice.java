package io.nicup.vfio.linux;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpace;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.Interrupts;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.RegisterSpace;
import io.nicup.vfio.RemovalRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PCI function opened through VFIO. {@link #open(PciAddress)} runs the whole legacy container/group
 * sequence (docs/hardware-reference.md A.4):
 * <ol>
 * <li>sysfs: the device exists, is bound to vfio-pci, has an IOMMU group N;</li>
 * <li>take the per-device {@link DeviceLock};</li>
 * <li>open {@code /dev/vfio/vfio}, {@code GET_API_VERSION == 0}, {@code CHECK_EXTENSION} TYPE1v2 or TYPE1;</li>
 * <li>open {@code /dev/vfio/N}, {@code GROUP_GET_STATUS} VIABLE;</li>
 * <li>{@code GROUP_SET_CONTAINER}, {@code SET_IOMMU}, {@code IOMMU_GET_INFO};</li>
 * <li>{@code GROUP_GET_DEVICE_FD}, {@code DEVICE_GET_INFO}, region infos 0-8 and IRQ infos 0-4;</li>
 * <li>config space (region 7), identity, DMA allocator, interrupts, and the device-request interrupt armed
 * when offered, so the kernel can ask for the device back (docs/hardware-reference.md A.10).</li>
 * </ol>
 * Everything acquired is remembered; {@link #close()} — and a failure half-way through {@code open} —
 * releases it in reverse order. {@code close()} first turns bus mastering off so the device stops DMA
 * (and MSI writes) before its memory and mappings go. BARs are mapped on first use ({@code VfioBars}).
 */
public final class VfioPciDevice implements PciDevice {

    /**
     * @param tryHugePages back DMA memory with 2 MiB hugepages when the host has free ones
     */
    public record OpenOptions(boolean tryHugePages) {
        public static OpenOptions defaults() {
            return new OpenOptions(true);
        }
    }

    /** PCI config offsets (PCI Local Bus Specification 3.0, section 6.2). */
    static final int PCI_COMMAND = 0x04;
    static final int PCI_COMMAND_MASTER = 0x4;

    private final LinuxHost host;
    private final PciAddress address;
    private final int iommuGroup;
    private final VfioContainer container;
    private final int deviceFd;
    private final DeviceInfo deviceInfo;
    private final List<RegionInfo> regions;
    private final List<IrqInfo> irqs;
    private final VfioConfigSpace config;
    private final DeviceIdentity identity;
    private final VfioBars bars;
    private final VfioDmaAllocator dma;
    private final VfioInterrupts interrupts;
    private final Closer closer;
    private volatile boolean closed;

    private VfioPciDevice(LinuxHost host, PciAddress address, int iommuGroup, VfioContainer container, int deviceFd,
            DeviceInfo deviceInfo, List<RegionInfo> regions, List<IrqInfo> irqs, VfioConfigSpace config,
            VfioDmaAllocator dma, VfioInterrupts interrupts, Closer closer) {
        this.host = host;
        this.address = address;
        this.iommuGroup = iommuGroup;
        this.container = container;
        this.deviceFd = deviceFd;
        this.deviceInfo = deviceInfo;
        this.regions = List.copyOf(regions);
        this.irqs = List.copyOf(irqs);
        this.config = config;
        this.dma = dma;
        this.interrupts = interrupts;
        this.closer = closer;
        this.identity = readIdentity(config);
        this.bars = new VfioBars(host.kernel(), address, deviceFd, config, this.regions, closer);
    }

    /** Opens {@code address} on this machine with the default options. */
    public static VfioPciDevice open(PciAddress address) {
        return open(address, LinuxHost.system(), OpenOptions.defaults());
    }

    /** Opens {@code address} on {@code host} (a fake host in tests). */
    public static VfioPciDevice open(PciAddress address, LinuxHost host, OpenOptions options) {
        Sysfs sysfs = host.sysfs();
        if (!sysfs.exists(address)) {
            throw new DeviceAccessException(Reason.NOT_FOUND, "no such PCI device: bdf=" + address,
                    "`nicup list` (or `lspci -D`) shows the devices present");
        }
        String driver = sysfs.driver(address).orElse("none");
        if (!driver.equals(DeviceBinder.VFIO_PCI)) {
            throw new DeviceAccessException(Reason.VFIO_SETUP, "device not bound to vfio-pci: bdf=" + address
                    + " driver=" + driver, "run `nicup bind " + address + "`");
        }
        int group = sysfs.iommuGroup(address).orElseThrow(() -> DeviceBinder.noIommuGroup(address));
        VfioKernel kernel = host.kernel();
        Closer closer = new Closer();
        try {
            DeviceLock lock = DeviceLock.acquire(host.stateDir(), address);
            closer.push("lock", lock::close);
            VfioContainer container = VfioContainer.open(host);
            closer.push("container", container::close);
            VfioGroup g = VfioGroup.open(host, group, address);
            closer.push("group", g::close);
            g.attach(container);
            int deviceFd = g.openDevice(address);
            closer.push("device", () -> kernel.close(deviceFd));
            DeviceInfo info = kernel.deviceInfo(deviceFd);
            if (!info.isPci()) {
                throw new DeviceAccessException(Reason.UNSUPPORTED, "not a vfio-pci device: bdf=" + address + " "
                        + info, "bind it to vfio-pci");
            }
            List<RegionInfo> regions = new ArrayList<>();
            for (int i = 0; i < Math.min(info.numRegions(), VfioAbi.PCI_NUM_REGIONS); i++) {
                regions.add(regionOrAbsent(kernel, deviceFd, i));
            }
            if (regions.size() <= VfioAbi.PCI_CONFIG_REGION_INDEX
                    || !regions.get(VfioAbi.PCI_CONFIG_REGION_INDEX).implemented()) {
                throw new DeviceAccessException(Reason.UNSUPPORTED, "device has no config region: bdf=" + address
                        + " " + info, "this is not a PCI device vfio-pci can drive");
            }
            List<IrqInfo> irqs = new ArrayList<>();
            Map<Integer, IrqInfo> byIndex = new HashMap<>();
            for (int i = 0; i < Math.min(info.numIrqs(), VfioAbi.PCI_NUM_IRQS); i++) {
                IrqInfo irq = irqOrAbsent(kernel, deviceFd, i);
                irqs.add(irq);
                byIndex.put(i, irq);
            }
            VfioConfigSpace config = new VfioConfigSpace(kernel, deviceFd,
                    regions.get(VfioAbi.PCI_CONFIG_REGION_INDEX));
            IommuInfo iommu = container.iommuInfo();
            VfioDmaAllocator dma = new VfioDmaAllocator(kernel, container, IovaAllocator.forIommu(iommu),
                    kernel.memlockLimit(), !host.procfs().hasCapability(Procfs.CAP_IPC_LOCK), options.tryHugePages());
            closer.push("dma", dma::close);
            VfioInterrupts interrupts = new VfioInterrupts(kernel, deviceFd, byIndex);
            closer.push("interrupts", interrupts::close);
            interrupts.armRemovalRequest(() -> sysfs.exists(address));
            return new VfioPciDevice(host, address, group, container, deviceFd, info, regions, irqs, config, dma,
                    interrupts, closer);
        } catch (RuntimeException e) {
            closer.closeAllAfter(e);
            throw e;
        }
    }

    private static DeviceIdentity readIdentity(ConfigSpace c) {
        int classRev = c.read32(0x08);
        return new DeviceIdentity(c.read16(0x00), c.read16(0x02), c.read16(0x2C), c.read16(0x2E), classRev >>> 8,
                classRev & 0xFF);
    }

    /**
     * vfio-pci answers EINVAL for a region the function does not have rather than a zero size: the VGA
     * region of anything that is not a VGA device (drivers/vfio/pci/vfio_pci_core.c, get_region_info,
     * {@code if (!vdev->has_vga) return -EINVAL}). Seen on the QEMU 82574L. Such a region is absent.
     */
    private static RegionInfo regionOrAbsent(VfioKernel kernel, int deviceFd, int index) {
        try {
            return kernel.regionInfo(deviceFd, index);
        } catch (NativeCallException e) {
            if (e.errno() == Errno.EINVAL && index >= VfioAbi.PCI_CONFIG_REGION_INDEX + 1) {
                return new RegionInfo(index, 0, 0, 0, List.of(), List.of());
            }
            throw e;
        }
    }

    /** Likewise the error-reporting IRQ of a conventional PCI function (get_irq_info: ERR only for PCIe). */
    private static IrqInfo irqOrAbsent(VfioKernel kernel, int deviceFd, int index) {
        try {
            return kernel.irqInfo(deviceFd, index);
        } catch (NativeCallException e) {
            if (e.errno() == Errno.EINVAL && index > VfioAbi.PCI_MSIX_IRQ_INDEX) {
                return new IrqInfo(index, 0, 0);
            }
            throw e;
        }
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    @Override
    public ConfigSpace config() {
        return config;
    }

    @Override
    public List<BarInfo> bars() {
        return bars.implemented();
    }

    @Override
    public RegisterSpace bar(int index) {
        checkOpen();
        return bars.registerSpace(index);
    }

    @Override
    public DmaAllocator dma() {
        return dma;
    }

    @Override
    public Interrupts interrupts() {
        return interrupts;
    }

    @Override
    public DeviceClock clock() {
        return host.clock();
    }

    @Override
    public void setBusMaster(boolean enabled) {
        checkOpen();
        int cmd = config.read16(PCI_COMMAND);
        int next = enabled ? cmd | PCI_COMMAND_MASTER : cmd & ~PCI_COMMAND_MASTER;
        if (next != cmd) {
            config.write16(PCI_COMMAND, next);
        }
    }

    /** Whether PCI bus mastering is on (command register bit 2). */
    public boolean busMaster() {
        return (config.read16(PCI_COMMAND) & PCI_COMMAND_MASTER) != 0;
    }

    @Override
    public boolean canReset() {
        return deviceInfo.canReset();
    }

    @Override
    public void reset() {
        checkOpen();
        if (!canReset()) {
            throw new DeviceAccessException(Reason.UNSUPPORTED, "device offers no VFIO reset: bdf=" + address + " "
                    + deviceInfo, "reset it through its own registers (e.g. CTRL.RST)");
        }
        host.kernel().reset(deviceFd);
    }

    @Override
    public RemovalRequest removalRequest() {
        return interrupts.removalRequest();
    }

    @Override
    public String description() {
        return "vfio " + address;
    }

    /** The IOMMU group number. */
    public int iommuGroup() {
        return iommuGroup;
    }

    /** {@code VFIO_DEVICE_GET_INFO}: flags, region and IRQ counts. */
    public DeviceInfo deviceInfo() {
        return deviceInfo;
    }

    /** Every region (index 0-8) with flags, size, offset and capabilities. */
    public List<RegionInfo> regions() {
        return regions;
    }

    /** Every IRQ index (INTX, MSI, MSIX, ERR, REQ) with flags and count. */
    public List<IrqInfo> irqs() {
        return irqs;
    }

    /** Page sizes, valid IOVA ranges and DMA mappings available. */
    public IommuInfo iommuInfo() {
        return container.iommuInfo();
    }

    /** The IOMMU type in use: "TYPE1v2" or "TYPE1". */
    public String iommuType() {
        return container.iommuTypeName();
    }

    /** What is held, most recent first (for traces and tests). */
    public List<String> held() {
        return closer.held();
    }

    /** A multi-line summary for {@code nicup info}. */
    public Map<String, String> summary() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("device", address.toString());
        m.put("identity", identity.toString());
        m.put("iommu_group", Integer.toString(iommuGroup));
        m.put("iommu_type", iommuType());
        m.put("iommu", iommuInfo().toString());
        m.put("device_info", deviceInfo.toString());
        for (RegionInfo r : regions) {
            m.put("region." + r.name(), r.toString());
        }
        for (IrqInfo i : irqs) {
            m.put("irq." + i.name(), i.toString());
        }
        m.put("dma", "page_size=" + dma.pageSize() + " hugepages=" + dma.hugePages()
                + (dma.hugePages() ? "" : " fallback=\"" + dma.fallbackReason() + "\""));
        return m;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("device closed: " + address);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException busMasterFailure = null;
        try {
            int cmd = config.read16(PCI_COMMAND);
            if ((cmd & PCI_COMMAND_MASTER) != 0) {
                config.write16(PCI_COMMAND, cmd & ~PCI_COMMAND_MASTER);
            }
        } catch (RuntimeException e) {
            busMasterFailure = e;
        }
        if (busMasterFailure != null) {
            closer.closeAllAfter(busMasterFailure);
            throw busMasterFailure;
        }
        closer.closeAll();
    }

    @Override
    public String toString() {
        return description();
    }
}
