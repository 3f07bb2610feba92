package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IovaAllocatorTest {

    static final long PAGE = 4096;
    /** The x86 layout: everything below 2^39 except the MSI window 0xfee00000-0xfeefffff. */
    static final List<IovaRange> X86 = List.of(new IovaRange(0, 0xFEDF_FFFFL),
            new IovaRange(0xFEF0_0000L, (1L << 39) - 1));

    /** An operation: allocate (size in pages, alignment shift) or free the n-th live allocation. */
    record Op(boolean alloc, int pages, int alignShift, int victim) {
    }

    /** Up to 200 operations, three allocations to two frees. */
    static List<Op> ops(Gen gen) {
        return gen.listOf(0, 200, () -> gen.between(1, 5) <= 3
                ? new Op(true, gen.between(1, 600), gen.between(12, 22), 0)
                : new Op(false, 0, 0, gen.between(0, 1000)));
    }

    /** Up to 4 disjoint ranges in [0, 2^31) with random gaps, some tiny. */
    static List<IovaRange> rangeSets(Gen gen) {
        List<Long> points = gen.listOf(2, 8, () -> (long) gen.between(0, 1 << 20));
        List<Long> sorted = points.stream().map(p -> p * PAGE / 2).sorted().distinct().toList();
        List<IovaRange> r = new ArrayList<>();
        for (int i = 0; i + 1 < sorted.size(); i += 2) {
            if (sorted.get(i + 1) > sorted.get(i)) {
                r.add(new IovaRange(sorted.get(i), sorted.get(i + 1) - 1));
            }
        }
        return r;
    }

    @SeededTest
    void allocationsNeverOverlapStayInRangesAreAlignedAndFreeingReturnsSpace(Gen gen) {
        List<Op> ops = ops(gen);
        List<IovaRange> ranges = rangeSets(gen);
        IovaAllocator a = new IovaAllocator(ranges, PAGE, -1);
        long initialFree = a.freeBytes();
        TreeMap<Long, Long> live = new TreeMap<>();
        for (Op op : ops) {
            if (op.alloc()) {
                long size = op.pages() * PAGE - (op.pages() % 3 == 0 ? 100 : 0);
                long align = 1L << op.alignShift();
                long iova;
                try {
                    iova = a.allocate(size, align);
                } catch (DeviceAccessException e) {
                    assertThat(e.reason()).isEqualTo(Reason.RESOURCE_LIMIT);
                    continue;
                }
                long rounded = (size + PAGE - 1) / PAGE * PAGE;
                assertThat(iova % align).isZero();
                assertThat(iova % PAGE).isZero();
                assertThat(iova).isGreaterThanOrEqualTo(IovaAllocator.FLOOR);
                assertThat(ranges).anySatisfy(r -> {
                    assertThat(iova).isGreaterThanOrEqualTo(r.start());
                    assertThat(iova + rounded - 1).isLessThanOrEqualTo(r.end());
                });
                Map.Entry<Long, Long> below = live.floorEntry(iova);
                if (below != null) {
                    assertThat(below.getKey() + below.getValue()).isLessThanOrEqualTo(iova);
                }
                Map.Entry<Long, Long> above = live.ceilingEntry(iova);
                if (above != null) {
                    assertThat(iova + rounded).isLessThanOrEqualTo(above.getKey());
                }
                live.put(iova, rounded);
            } else if (!live.isEmpty()) {
                Long victim = new ArrayList<>(live.keySet()).get(op.victim() % live.size());
                long before = a.freeBytes();
                a.free(victim);
                assertThat(a.freeBytes()).isEqualTo(before + live.remove(victim));
            }
            assertThat(a.liveMappings()).isEqualTo(live.size());
        }
        for (Long iova : live.keySet()) {
            a.free(iova);
        }
        assertThat(a.freeBytes()).isEqualTo(initialFree);
    }

    /** Every pair: a limit of 0..20 mappings and 0..40 attempts. */
    static Stream<Arguments> limitsAndAttempts() {
        return IntStream.rangeClosed(0, 20).boxed()
                .flatMap(limit -> IntStream.rangeClosed(0, 40).mapToObj(attempts -> Arguments.of(limit, attempts)));
    }

    @ParameterizedTest(name = "limit={0} attempts={1}")
    @MethodSource("limitsAndAttempts")
    void theMappingCountIsNeverExceeded(int limit, int attempts) {
        IovaAllocator a = new IovaAllocator(X86, PAGE, limit);
        int ok = 0;
        for (int i = 0; i < attempts; i++) {
            try {
                a.allocate(PAGE, PAGE);
                ok++;
            } catch (DeviceAccessException e) {
                assertThat(e.getMessage()).contains("DMA mapping limit reached").contains("limit=" + limit);
                assertThat(e.remedy()).contains("dma_entry_limit");
            }
        }
        assertThat(ok).isEqualTo(Math.min(limit, attempts));
    }

    @Test
    void allocationsPreferLowAddressesStartingAtTheFloor() {
        IovaAllocator a = new IovaAllocator(X86, PAGE, 65535);
        assertThat(a.allocate(2 << 20, 2 << 20)).as("2 MiB-aligned above the 1 MiB floor").isEqualTo(0x200000);
        assertThat(a.allocate(PAGE, PAGE)).isEqualTo(0x100000);
        assertThat(a.allocate(PAGE, PAGE)).isEqualTo(0x101000);
    }

    @Test
    void theMsiWindowIsNeverHandedOut() {
        IovaAllocator a = new IovaAllocator(X86, PAGE, -1);
        long last = 0;
        // fill up to just past the hole with 1 GiB blocks
        for (int i = 0; i < 5; i++) {
            last = a.allocate(1L << 30, 1L << 30);
            assertThat(last + (1L << 30) <= 0xFEE0_0000L || last >= 0xFEF0_0000L).isTrue();
        }
        assertThat(last).isLessThan(IovaAllocator.PREFERRED_LIMIT);
    }

    @Test
    void exhaustingTheSpaceIsAResourceLimitNamingTheLargestFreeRange() {
        IovaAllocator a = new IovaAllocator(List.of(new IovaRange(0, 0x1FFFFF)), PAGE, -1);
        a.allocate(0x100000, PAGE);
        assertThatThrownBy(() -> a.allocate(PAGE, PAGE)).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.RESOURCE_LIMIT);
            assertThat(e.getMessage()).contains("IOVA space exhausted").contains("largest_free=0x0");
        });
    }

    @Test
    void aRangeEndingAtTheTopOfThe64BitSpaceIsUsable() {
        IovaAllocator a = new IovaAllocator(List.of(new IovaRange(0, -1L)), PAGE, -1);
        assertThat(a.allocate(PAGE, PAGE)).isEqualTo(IovaAllocator.FLOOR);
    }

    @Test
    void freeingAnAddressThatWasNotAllocatedIsABug() {
        IovaAllocator a = new IovaAllocator(X86, PAGE, -1);
        assertThatThrownBy(() -> a.free(0x100000)).isInstanceOf(IllegalStateException.class);
    }
}
