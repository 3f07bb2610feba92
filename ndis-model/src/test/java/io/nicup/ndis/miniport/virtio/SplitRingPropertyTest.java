package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Random;

/**
 * The driver side of a split ring against a device that reads avail and writes used as 2.7 says, from
 * random starting indexes (so the free-running 16-bit counters wrap) with random batch sizes: every
 * head published is used exactly once, in order, and the counts agree at every step.
 */
class SplitRingPropertyTest {

    @SeededTest(cases = 80)
    void everyPublishedHeadIsUsedOnceInOrderAcrossTheWrap(Gen gen) {
        int size = gen.oneOf(1, 2, 4, 16, 64, 256, 1024);
        int start = gen.between(0, 65535);
        int maxBatch = gen.between(1, 300);
        Random random = gen.random();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment area = arena.allocate(Virtq.areaBytes(size), 16);
            SplitRing ring = new SplitRing(area, 0x2_0000_0000L, size);
            ring.startAt(start);
            Device device = new Device(area, size, start);
            ArrayDeque<Integer> expected = new ArrayDeque<>();
            int nextHead = 0;
            long consumed = 0;
            int operations = 3 * size + 2_000;
            for (int op = 0; op < operations; op++) {
                int free = size - ring.inFlight();
                int n = Math.min(free, random.nextInt(maxBatch + 1));
                for (int i = 0; i < n; i++) {
                    int head = nextHead++ % size;
                    ring.publish(head);
                    expected.addLast(head);
                }
                if (n > 0 || random.nextBoolean()) {
                    ring.commit();
                }
                assertThat(ring.inFlight()).isLessThanOrEqualTo(size);
                device.use(random.nextInt(maxBatch + 1));
                int ready = ring.usedReady();
                assertThat(ready).isEqualTo(device.usedTotal - consumed);
                int take = random.nextInt(ready + 1);
                for (int k = 0; k < take; k++) {
                    assertThat(ring.usedId(k)).isEqualTo(expected.pollFirst());
                    assertThat(ring.usedLen(k)).isEqualTo(ring.usedId(k) + 100);
                }
                ring.consume(take);
                consumed += take;
                assertThat(ring.lastUsed()).isEqualTo((start + consumed) & 0xFFFF);
            }
            assertThat(ring.availIndex()).isEqualTo((start + nextHead) & 0xFFFF);
        }
    }

    @SeededTest(cases = 200)
    void distanceIsTheCountModulo65536(Gen gen) {
        int from = gen.between(0, 65535);
        int n = gen.between(0, 65535);
        assertThat(Virtq.distance(from, (from + n) & 0xFFFF)).isEqualTo(n);
    }

    /** The device: takes committed heads from avail, writes {head, head + 100} to used, publishes used.idx. */
    private static final class Device {
        final MemorySegment area;
        final int size;
        final long avail;
        final long used;
        int lastAvail;
        int usedIdx;
        long usedTotal;

        Device(MemorySegment area, int size, int start) {
            this.area = area;
            this.size = size;
            this.avail = Virtq.availOffset(size);
            this.used = Virtq.usedOffset(size);
            this.lastAvail = start;
            this.usedIdx = start;
            area.set(Virtq.LE16, used + Virtq.USED_IDX, (short) start);
        }

        void use(int max) {
            int availIdx = area.get(Virtq.LE16, avail + Virtq.AVAIL_IDX) & 0xFFFF;
            int pending = Virtq.distance(lastAvail, availIdx);
            assertThat(pending).isLessThanOrEqualTo(size);
            int n = Math.min(pending, max);
            for (int i = 0; i < n; i++) {
                int head = area.get(Virtq.LE16, avail + Virtq.AVAIL_RING + 2L * (lastAvail % size)) & 0xFFFF;
                lastAvail = (lastAvail + 1) & 0xFFFF;
                long elem = used + Virtq.USED_RING + 8L * (usedIdx % size);
                area.set(Virtq.LE32, elem, head);
                area.set(Virtq.LE32, elem + 4, head + 100);
                usedIdx = (usedIdx + 1) & 0xFFFF;
            }
            area.set(Virtq.LE16, used + Virtq.USED_IDX, (short) usedIdx);
            usedTotal += n;
        }
    }
}
