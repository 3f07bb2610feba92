package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.PciAddress;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VfioDmaAllocatorTest {

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

    @Test
    void withoutHugepagesItFallsBackToSmallPagesAndSaysWhy() {
        try (VfioPciDevice d = open()) {
            assertThat(d.dma().hugePages()).isFalse();
            assertThat(d.dma().pageSize()).isEqualTo(4096);
            assertThat(d.dma().fallbackReason()).contains("no free 2 MiB hugepages").contains("ENOMEM")
                    .contains("nr_hugepages");
        }
    }

    @Test
    void withHugepagesChunksAreTwoMegabytesAndTheirIovasAligned() {
        k.hugePagesAvailable = true;
        try (VfioPciDevice d = open()) {
            assertThat(d.dma().hugePages()).isTrue();
            assertThat(d.dma().fallbackReason()).isEmpty();
            DmaRegion r = d.dma().allocate("tx-ring", 8192, 128);
            assertThat(r.iova() % (2 << 20)).isZero();
            assertThat(k.dmaMappings).containsEntry(r.iova(), 2L << 20);
        }
    }

    @Test
    void smallRegionsShareOneMappedPageAndAreAlignedAndZeroed() {
        try (VfioPciDevice d = open()) {
            DmaRegion a = d.dma().allocate("tx-ring", 256, 128);
            DmaRegion b = d.dma().allocate("rx-ring", 1000, 256);
            DmaRegion c = d.dma().allocate("stats", 8, 8);

            assertThat(k.dmaMappings).hasSize(1);
            assertThat(((VfioDmaAllocator) d.dma()).mappedChunks()).isEqualTo(1);
            assertThat(a.iova() % 128).isZero();
            assertThat(b.iova() % 256).isZero();
            assertThat(b.iova()).isGreaterThanOrEqualTo(a.iova() + 256);
            assertThat(c.iova()).isGreaterThanOrEqualTo(b.iova() + 1000);
            assertThat(a.segment().address() - a.iova()).isEqualTo(b.segment().address() - b.iova());
            for (DmaRegion r : new DmaRegion[] {a, b, c}) {
                for (long i = 0; i < r.size(); i++) {
                    assertThat(r.segment().get(ValueLayout.JAVA_BYTE, i)).isZero();
                }
            }
            assertThat(d.dma().liveRegions()).isEqualTo(3);
        }
    }

    @Test
    void aLargeRegionGetsItsOwnMappingRoundedToPages() {
        try (VfioPciDevice d = open()) {
            DmaRegion small = d.dma().allocate("ring", 512, 128);
            DmaRegion big = d.dma().allocate("rx-buffers", 512 * 2048 + 100, 4096);
            assertThat(k.dmaMappings).hasSize(2);
            assertThat(k.dmaMappings.get(big.iova())).isEqualTo(512 * 2048 + 4096);
            assertThat(big.size()).isEqualTo(512 * 2048 + 100);
            assertThat(big.segment().byteSize()).isEqualTo(big.size());
            small.close();
            big.close();
        }
    }

    @Test
    void closingARegionUnmapsTheIovaThenFreesTheMemoryAndMakesTheSegmentInaccessible() {
        try (VfioPciDevice d = open()) {
            DmaRegion r = d.dma().allocate("ring", 4096, 4096);
            long iova = r.iova();
            k.log.clear();

            r.close();
            r.close(); // idempotent

            assertThat(k.log).containsExactly(String.format("unmapDma iova=0x%x size=0x1000", iova),
                    "munmap size=0x1000");
            assertThatThrownBy(() -> r.segment().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
            assertThat(d.dma().liveRegions()).isZero();
        }
    }

    @Test
    void aSharedPageStaysMappedUntilItsLastRegionCloses() {
        try (VfioPciDevice d = open()) {
            DmaRegion a = d.dma().allocate("a", 100, 64);
            DmaRegion b = d.dma().allocate("b", 100, 64);
            a.close();
            assertThat(k.dmaMappings).hasSize(1);
            DmaRegion c = d.dma().allocate("c", 100, 64);
            assertThat(c.iova()).as("the freed space is reused").isEqualTo(a.iova());
            assertThat(c.segment().get(ValueLayout.JAVA_BYTE, 0)).isZero();
            b.close();
            c.close();
            assertThat(k.dmaMappings).isEmpty();
        }
    }

    @Test
    void closingTheDeviceReleasesRegionsTheDriverLeft() {
        VfioPciDevice d = open();
        d.dma().allocate("forgotten", 100, 64);
        d.dma().allocate("forgotten-too", 100_000, 64);
        d.close();
        assertThat(k.dmaMappings).isEmpty();
        assertThat(k.mappings).isEmpty();
    }

    @Test
    void theLockedMemoryLimitIsCheckedBeforePinningWithoutCapIpcLock() {
        m.status(1000, 0);
        k.memlock = new MemlockLimit(64 << 10, 64 << 10);
        try (VfioPciDevice d = open()) {
            d.dma().allocate("fits", 60 << 10, 4096);
            assertThatThrownBy(() -> d.dma().allocate("too-much", 8 << 10, 4096))
                    .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.RESOURCE_LIMIT);
                        assertThat(e.getMessage()).contains("locked-memory limit too low").contains("limit=65536");
                        assertThat(e.remedy()).contains("ulimit -l").contains("current=65536 bytes (64 KiB)");
                    });
            assertThat(k.dmaMappings).hasSize(1);
            assertThat(k.mappings).hasSize(1);
        }
    }

    @Test
    void withCapIpcLockTheLimitIsNotApplied() {
        k.memlock = new MemlockLimit(64 << 10, 64 << 10);
        try (VfioPciDevice d = open()) {
            d.dma().allocate("big", 1 << 20, 4096);
        }
    }

    @Test
    void aMapDmaFailureGivesTheIovaBackAndFreesTheMemory() {
        try (VfioPciDevice d = open()) {
            k.failOn("mapDma", Errno.ENOMEM);
            assertThatThrownBy(() -> d.dma().allocate("x", 4096, 4096)).isInstanceOfSatisfying(
                    NativeCallException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.RESOURCE_LIMIT);
                        assertThat(e.remedy()).contains("locked-memory limit too low");
                    });
            assertThat(k.mappings).isEmpty();
            k.failures.clear();
            assertThat(d.dma().allocate("y", 4096, 4096).iova()).isEqualTo(IovaAllocator.FLOOR);
        }
    }

    @Test
    void theDmaMappingCountOfTheIommuIsHonoured() {
        k.iommu = new IommuInfo(k.iommu.flags(), k.iommu.pageSizes(), k.iommu.ranges(), 2);
        try (VfioPciDevice d = open()) {
            d.dma().allocate("a", 8192, 4096);
            d.dma().allocate("b", 8192, 4096);
            assertThatThrownBy(() -> d.dma().allocate("c", 8192, 4096)).isInstanceOfSatisfying(
                    DeviceAccessException.class, e -> assertThat(e.remedy()).contains("dma_entry_limit"));
            assertThat(k.mappings).hasSize(2);
        }
    }

    @Test
    void badSizesAndAlignmentsAreInvalidArguments() {
        try (VfioPciDevice d = open()) {
            for (long[] bad : new long[][] {{0, 64}, {-1, 64}, {64, 3}, {64, 0}, {64, 8192}}) {
                assertThatThrownBy(() -> d.dma().allocate("bad", bad[0], bad[1]))
                        .isInstanceOfSatisfying(DeviceAccessException.class,
                                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
            }
        }
    }

    @Test
    void theHugepageProbeAgreesWithTheRealKernelOnThisMachine() {
        FfmVfioKernel real = new FfmVfioKernel();
        boolean kernelHasHugepages;
        try {
            long addr = real.mmapAnonymous(2 << 20, true);
            real.munmap(addr, 2 << 20);
            kernelHasHugepages = true;
        } catch (NativeCallException e) {
            kernelHasHugepages = false;
        }
        VfioDmaAllocator a = new VfioDmaAllocator(real, null, new IovaAllocator(
                java.util.List.of(new IovaRange(0, -1)), 4096, -1), MemlockLimit.query(), false, true);
        assertThat(a.hugePages()).isEqualTo(kernelHasHugepages);
        assertThat(a.fallbackReason().isEmpty()).isEqualTo(kernelHasHugepages);
    }
}
