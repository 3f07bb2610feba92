package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.RegisterSpace;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The open/close sequence and its failure handling, against the VFIO kernel double. */
class VfioPciDeviceTest {

    static final PciAddress NIC = PciAddress.parse("0000:00:02.0");

    @TempDir
    Path tmp;
    FakeMachine m;
    FakeVfioKernel k;

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
        k = m.kernel;
        m.device(NIC.toString()).boundTo("vfio-pci").group(5);
    }

    VfioPciDevice open() {
        return VfioPciDevice.open(NIC, m.host(), VfioPciDevice.OpenOptions.defaults());
    }

    private void assertEverythingReleased() {
        assertThat(k.openFds).as("open fds").isEmpty();
        assertThat(k.dmaMappings).as("DMA mappings").isEmpty();
        assertThat(k.mappings).as("memory mappings").isEmpty();
        DeviceLock.acquire(m.state, NIC).close(); // the lock is free again
    }

    @Test
    void openRunsTheContainerGroupDeviceSequenceInOrder() {
        try (VfioPciDevice d = open()) {
            assertThat(k.log).containsSubsequence("open vfio -> 3", "open 5 -> 4", "setContainer 4 3",
                    "setIommu TYPE1v2", "deviceFd 0000:00:02.0 -> 5");
            assertThat(d.iommuType()).isEqualTo("TYPE1v2");
            assertThat(d.iommuGroup()).isEqualTo(5);
            assertThat(d.iommuInfo().dmaAvailable()).isEqualTo(65535);
            assertThat(d.regions()).hasSize(9);
            assertThat(d.irqs()).extracting(IrqInfo::name).containsExactly("INTX", "MSI", "MSIX", "ERR", "REQ");
            assertThat(d.held()).containsExactly("interrupts", "dma", "device", "group", "container", "lock");
            assertThat(d.description()).isEqualTo("vfio 0000:00:02.0");
        }
    }

    @Test
    void aRegionOrIrqTheKernelRejectsWithEinvalIsAbsentNotAFailure() {
        // vfio-pci answers EINVAL for the VGA region of a NIC and the ERR irq of a conventional PCI function
        k.regions.remove(8);
        k.irqs.remove(3);
        try (VfioPciDevice d = open()) {
            assertThat(d.regions()).hasSize(9);
            assertThat(d.regions().get(8).implemented()).isFalse();
            assertThat(d.irqs().get(3).count()).isZero();
        }
        assertEverythingReleased();
    }

    @Test
    void identityAndBarsComeFromConfigSpaceAndRegionInfo() {
        try (VfioPciDevice d = open()) {
            assertThat(d.identity().vendorId()).isEqualTo(0x8086);
            assertThat(d.identity().deviceId()).isEqualTo(0x10d3);
            assertThat(d.identity().classCode()).isEqualTo(0x020000);
            assertThat(d.identity().subsystemVendorId()).isEqualTo(0x8086);
            assertThat(d.config().size()).isEqualTo(4096);
            assertThat(d.bars()).containsExactly(
                    new BarInfo(0, 128 << 10, true, false, false, true),
                    new BarInfo(1, 128 << 10, true, false, false, true),
                    new BarInfo(2, 32, false, false, false, false),
                    new BarInfo(3, 16 << 10, true, false, false, true));
            assertThat(d.summary()).containsKeys("iommu", "region.BAR0", "irq.MSIX", "dma");
        }
    }

    @Test
    void closeTurnsBusMasterOffThenReleasesEverythingInReverseOrder() {
        VfioPciDevice d = open();
        d.setBusMaster(true);
        d.bar(0);
        d.dma().allocate("ring", 4096, 128);
        d.interrupts().enable(io.nicup.vfio.InterruptMode.MSIX, 2);
        k.log.clear();

        d.close();

        assertThat(k.configByte(4) & 0x4).as("bus master bit").isZero();
        assertThat(k.log).containsSubsequence("pwrite offset=0x70000000004 len=2", "munmap size=0x20000",
                "setIrqs index=2 flags=0x21 count=0", "unmapDma iova=0x100000 size=0x1000", "munmap size=0x1000",
                "close 5 (device 0000:00:02.0)", "close 4 (group 5)", "close 3 (container)");
        assertEverythingReleased();
        d.close(); // idempotent
    }

    static Stream<Arguments> openSteps() {
        return Stream.of(
                Arguments.of("open-container", Errno.ENOENT, Reason.VFIO_SETUP),
                Arguments.of("apiVersion", Errno.ENOTTY, Reason.UNSUPPORTED),
                Arguments.of("checkExtension", Errno.EINVAL, Reason.INVALID_ARGUMENT),
                Arguments.of("open-group", Errno.EACCES, Reason.PERMISSION),
                Arguments.of("open-group", Errno.ENOENT, Reason.VFIO_SETUP),
                Arguments.of("groupStatus", Errno.EFAULT, Reason.INVALID_ARGUMENT),
                Arguments.of("setContainer", Errno.EBUSY, Reason.BUSY),
                Arguments.of("setIommu", Errno.EPERM, Reason.VFIO_SETUP),
                Arguments.of("iommuInfo", Errno.EINVAL, Reason.INVALID_ARGUMENT),
                Arguments.of("deviceFd", Errno.EINVAL, Reason.VFIO_SETUP),
                Arguments.of("deviceInfo", Errno.EIO, Reason.HARDWARE),
                Arguments.of("regionInfo", Errno.EINVAL, Reason.INVALID_ARGUMENT),
                Arguments.of("irqInfo", Errno.EINVAL, Reason.INVALID_ARGUMENT),
                Arguments.of("pread", Errno.EIO, Reason.HARDWARE));
    }

    @ParameterizedTest(name = "{0} failing with errno {1} releases everything and is {2}")
    @MethodSource("openSteps")
    void aFailureHalfWayThroughOpenReleasesEverythingAcquiredSoFar(String step, int errno, Reason reason) {
        k.failOn(step, errno);

        assertThatThrownBy(this::open).isInstanceOfSatisfying(DeviceAccessException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));

        assertEverythingReleased();
        k.failures.clear();
        open().close(); // and the device can be opened afterwards
    }

    @Test
    void aFailureHalfWayReleasesInReverseOrderOfAcquisition() {
        k.failOn("deviceInfo", Errno.EIO);
        assertThatThrownBy(this::open).isInstanceOf(NativeCallException.class);
        assertThat(k.logFrom("deviceInfo FAILED")).containsExactly("deviceInfo FAILED EIO",
                "close 5 (device 0000:00:02.0)", "close 4 (group 5)", "close 3 (container)");
    }

    @Test
    void aReleaseThatFailsDuringRollbackIsSuppressedIntoTheOriginalError() {
        k.failOn("iommuInfo", Errno.EINVAL);
        k.failOn("close", Errno.EIO);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(NativeCallException.class, e -> {
            assertThat(e.operation()).isEqualTo(NativeOp.IOMMU_GET_INFO);
            assertThat(e.getSuppressed()).hasSize(2);
        });
    }

    @Test
    void type1IsUsedWhenType1v2IsNotOffered() {
        k.extensions = List.of(VfioAbi.VFIO_TYPE1_IOMMU);
        try (VfioPciDevice d = open()) {
            assertThat(d.iommuType()).isEqualTo("TYPE1");
            assertThat(k.setIommuType).isEqualTo(VfioAbi.VFIO_TYPE1_IOMMU);
        }
    }

    @Test
    void aContainerOfferingOnlyNoIommuIsRefused() {
        k.extensions = List.of(VfioAbi.VFIO_NOIOMMU_IOMMU);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP);
            assertThat(e.getMessage()).contains("no-IOMMU");
            assertThat(e.remedy()).contains("intel_iommu=on");
        });
        assertEverythingReleased();
    }

    @Test
    void aWrongApiVersionIsUnsupported() {
        k.apiVersion = 1;
        assertThatThrownBy(this::open).isInstanceOfSatisfying(DeviceAccessException.class,
                e -> assertThat(e.getMessage()).contains("version=1 expected=0"));
        assertEverythingReleased();
    }

    @Test
    void aGroupThatIsNotViableNamesEveryOtherDeviceAndItsDriver() {
        m.device("0000:00:02.1").boundTo("snd_hda_intel").group(5);
        m.device("0000:00:02.2").boundTo("xhci_hcd").group(5);
        k.groupFlags = 0;

        assertThatThrownBy(this::open).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP);
            assertThat(e.getMessage()).contains("0000:00:02.1(driver=snd_hda_intel)")
                    .contains("0000:00:02.2(driver=xhci_hcd)");
            assertThat(e.remedy()).contains("bind them to vfio-pci too");
        });
        assertEverythingReleased();
    }

    @Test
    void setContainerRefusedWithEpermNamesTheCulprits() {
        m.device("0000:00:02.1").boundTo("snd_hda_intel").group(5);
        k.failOn("setContainer", Errno.EPERM);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP);
            assertThat(e.getMessage()).contains("0000:00:02.1(driver=snd_hda_intel)");
        });
    }

    @Test
    void aBusyGroupNamesThePidHoldingIt() {
        FakeMachine.symlink(m.proc.resolve("4242/fd/7"), m.dev.resolve("vfio/5"));
        FakeMachine.write(m.proc.resolve("4242/comm"), "qemu-system-x86\n");
        k.failOn("open-group", Errno.EBUSY);

        assertThatThrownBy(this::open).isInstanceOfSatisfying(NativeCallException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.BUSY);
            assertThat(e.getMessage()).contains("group=5").contains("holder_pids=4242(qemu-system-x86)");
            assertThat(e.remedy()).startsWith("group 5 is in use by another process (PID 4242(qemu-system-x86))");
        });
        assertEverythingReleased();
    }

    @Test
    void aDeviceNotOnVfioPciIsRefusedBeforeAnythingIsOpened() {
        m.device("0000:00:03.0").boundTo("e1000e").group(6);
        assertThatThrownBy(() -> VfioPciDevice.open(PciAddress.parse("0000:00:03.0"), m.host(),
                VfioPciDevice.OpenOptions.defaults())).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.VFIO_SETUP);
                    assertThat(e.getMessage()).contains("driver=e1000e");
                    assertThat(e.remedy()).isEqualTo("run `nicup bind 0000:00:03.0`");
                });
        assertThat(k.log).isEmpty();
    }

    @Test
    void aMissingDeviceIsNotFound() {
        assertThatThrownBy(() -> VfioPciDevice.open(PciAddress.parse("0000:07:00.0"), m.host(),
                VfioPciDevice.OpenOptions.defaults())).isInstanceOfSatisfying(DeviceAccessException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void aSecondOpenOfTheSameDeviceIsBusyBecauseOfTheDeviceLock() {
        try (VfioPciDevice _ = open()) {
            assertThatThrownBy(this::open).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.BUSY);
                assertThat(e.getMessage()).startsWith("device 0000:00:02.0 in use by PID");
            });
            assertThat(k.openFds).hasSize(3);
        }
    }

    @Test
    void barZeroIsMappedOnceAndAccessedLittleEndian() {
        try (VfioPciDevice d = open()) {
            RegisterSpace bar0 = d.bar(0);
            assertThat(d.bar(0)).isSameAs(bar0);
            assertThat(bar0.size()).isEqualTo(128 << 10);
            bar0.write32(0x5400, 0x12345678);
            assertThat(bar0.read32(0x5400)).isEqualTo(0x12345678);
            assertThat(bar0.read8(0x5400)).isEqualTo((byte) 0x78);
            assertThat(bar0.read16(0x5402)).isEqualTo((short) 0x1234);
            bar0.write64(0x10, 0x0102030405060708L);
            assertThat(bar0.read32(0x14)).isEqualTo(0x01020304);
            assertThat(k.log).containsOnlyOnce("mmapRegion BAR0 offset=0x0 size=0x20000");
        }
    }

    @Test
    void misalignedOrOutOfRangeRegisterAccessesAreDriverBugs() {
        try (VfioPciDevice d = open()) {
            RegisterSpace bar0 = d.bar(0);
            assertThatThrownBy(() -> bar0.read32(0x5401)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> bar0.read32(128 << 10)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> bar0.write16(-2, (short) 0)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void aSparseBarMapsItsAreasAndReachesTheRestThroughTheDeviceFile() {
        try (VfioPciDevice d = open()) {
            RegisterSpace bar3 = d.bar(3);
            assertThat(bar3).isInstanceOf(SparseRegisterSpace.class);
            assertThat(k.log).contains("mmapRegion BAR3 offset=0x2000 size=0x2000");
            bar3.write32(0x2000, 0xCAFE);
            assertThat(bar3.read32(0x2000)).isEqualTo(0xCAFE);
            bar3.write32(0x10, 0xBEEF); // the MSI-X table area: pwrite, not the mapping
            assertThat(k.log).contains("pwrite offset=0x30000000010 len=4");
            assertThat(bar3.read32(0x10)).isEqualTo(0xBEEF);
            assertThatThrownBy(() -> bar3.read32(0x4000)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void ioAndMissingBarsAreRefusedWithTheirReason() {
        try (VfioPciDevice d = open()) {
            assertThatThrownBy(() -> d.bar(2)).isInstanceOfSatisfying(DeviceAccessException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
            assertThatThrownBy(() -> d.bar(4)).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND);
                assertThat(e.remedy()).contains("BAR0");
            });
        }
    }

    @Test
    void busMasterIsBitTwoOfTheCommandRegister() {
        k.config.set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 4, (short) 0x0003);
        try (VfioPciDevice d = open()) {
            assertThat(d.busMaster()).isFalse();
            d.setBusMaster(true);
            assertThat(k.configByte(4)).isEqualTo(0x07);
            assertThat(d.busMaster()).isTrue();
            d.setBusMaster(false);
            assertThat(k.configByte(4)).isEqualTo(0x03);
        }
    }

    @Test
    void configAccessesMustBeAlignedAndInside() {
        try (VfioPciDevice d = open()) {
            assertThat(d.config().read16(0)).isEqualTo(0x8086);
            assertThat(d.config().read32(0)).isEqualTo(0x10d38086);
            assertThatThrownBy(() -> d.config().read32(2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.config().read8(4096)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void resetUsesTheVfioIoctlOnlyWhenOffered() {
        try (VfioPciDevice d = open()) {
            assertThat(d.canReset()).isTrue();
            d.reset();
            assertThat(k.resets).isEqualTo(1);
        }
        k.device = new DeviceInfo(VfioAbi.DEVICE_FLAGS_PCI, 9, 5);
        try (VfioPciDevice d = open()) {
            assertThat(d.canReset()).isFalse();
            assertThatThrownBy(d::reset).isInstanceOfSatisfying(DeviceAccessException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
        }
    }

    @Test
    void aNonPciVfioDeviceIsRefused() {
        k.device = new DeviceInfo(VfioAbi.DEVICE_FLAGS_PLATFORM, 2, 1);
        assertThatThrownBy(this::open).isInstanceOfSatisfying(DeviceAccessException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
        assertEverythingReleased();
    }

    @Test
    void usingAClosedDeviceIsAnError() {
        VfioPciDevice d = open();
        d.close();
        assertThatThrownBy(() -> d.bar(0)).isInstanceOf(IllegalStateException.class);
    }
}
