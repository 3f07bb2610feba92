package io.nicup.ndis;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DmaAllocator;
import io.nicup.vfio.DmaRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The DMA of a {@link FakePciDevice}: regions from shared arenas; IOVAs counted up from 4 GiB. */
final class FakeDma implements DmaAllocator {
    private final AtomicLong nextIova = new AtomicLong(0x1_0000_0000L);
    private final List<FakeRegion> live = new ArrayList<>();
    /** Fail the next allocation with RESOURCE_LIMIT. */
    volatile boolean failNext;

    @Override
    public synchronized DmaRegion allocate(String purpose, long size, long alignment) {
        if (failNext) {
            failNext = false;
            throw new DeviceAccessException(DeviceAccessException.Reason.RESOURCE_LIMIT,
                    "locked memory limit: purpose=" + purpose, "raise ulimit -l");
        }
        long pages = (size + 4095) / 4096;
        long iova = nextIova.getAndAdd(pages * 4096 + 4096);
        Arena arena = Arena.ofShared();
        FakeRegion r = new FakeRegion(this, purpose, arena.allocate(size, alignment), iova, arena);
        live.add(r);
        return r;
    }

    synchronized void closed(FakeRegion r) {
        live.remove(r);
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
        return "fake";
    }

    @Override
    public synchronized int liveRegions() {
        return live.size();
    }

    synchronized List<String> livePurposes() {
        return live.stream().map(FakeRegion::purpose).toList();
    }

    void closeAll() {
        List<FakeRegion> copy;
        synchronized (this) {
            copy = new ArrayList<>(live);
        }
        copy.forEach(FakeRegion::close);
    }

    static final class FakeRegion implements DmaRegion {
        private final FakeDma owner;
        private final String purpose;
        private final MemorySegment segment;
        private final long iova;
        private final Arena arena;
        private boolean closed;

        FakeRegion(FakeDma owner, String purpose, MemorySegment segment, long iova, Arena arena) {
            this.owner = owner;
            this.purpose = purpose;
            this.segment = segment;
            this.iova = iova;
            this.arena = arena;
        }

        @Override
        public MemorySegment segment() {
            return segment;
        }

        @Override
        public long iova() {
            return iova;
        }

        @Override
        public long size() {
            return segment.byteSize();
        }

        @Override
        public String purpose() {
            return purpose;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                arena.close();
                owner.closed(this);
            }
        }
    }
}
