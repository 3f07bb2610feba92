package io.nicup.mock.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hostile used-ring faults, driven by hand: what the device writes into the used ring (virtio 1.2,
 * 2.7.8 says what it should write), that it stops every queue afterwards, and that a device reset brings
 * back the frames it held. Queues of 8 entries with desc at 0, avail at 128 and used at 512 of one region.
 */
class VirtioUsedRingFaultTest {

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ACCEPTED = 1L << 32 | 1L << 33 | 1L << 5 | 1L << 16 | 1L << 17 | 1L << 18;
    private static final int QSZ = 8;
    private static final int USED = 512;

    /** A device with receiveq1 set up and {@code buffers} 2 KiB buffers made available, DRIVER_OK. */
    private record Rx(MockPciDevice d, RegisterSpace bar, MemorySegment ring, DmaRegion ringRegion, DmaRegion buf) {

        static Rx open(String spec, int buffers) {
            MockPciDevice d = MockDevices.open(spec);
            d.setBusMaster(true);
            d.interrupts().enable(InterruptMode.MSIX, 4);
            DmaRegion ringRegion = d.dma().allocate("rx-queue", 4096, 16);
            Rx rx = new Rx(d, d.bar(4), ringRegion.segment(), ringRegion, d.dma().allocate("rx-buffers", 2048L * QSZ, 16));
            rx.start(buffers);
            return rx;
        }

        void start(int buffers) {
            negotiate(bar);
            setUpQueue(bar, 0, ringRegion.iova());
            for (int i = 0; i < buffers; i++) {
                ring.set(LE64, 16L * i, buf.iova() + 2048L * i);
                ring.set(LE32, 16L * i + 8, 2048);
                ring.set(LE16, 16L * i + 12, (short) 2);     // WRITE
                ring.set(LE16, 16L * QSZ + 4 + 2L * i, (short) i);
            }
            ring.set(LE16, 16L * QSZ + 2, (short) buffers);
            bar.write8(20, (byte) 0x0F);
            bar.write16(0x3000, (short) 0);
        }

        int usedIdx() {
            return ring.get(LE16, USED + 2) & 0xFFFF;
        }

        int usedId(int k) {
            return ring.get(LE32, USED + 4 + 8L * k);
        }

        int usedLen(int k) {
            return ring.get(LE32, USED + 8 + 8L * k);
        }

        VirtioNetModel model() {
            return d.model(VirtioNetModel.class);
        }

        void inject(int frames) {
            for (int i = 0; i < frames; i++) {
                byte[] f = new byte[100];
                System.arraycopy(model().mac(), 0, f, 0, 6);
                f[50] = (byte) i;
                d.wire().inject(f);
            }
        }

        /** A driver's reset: device_status 0, the ring zeroed, set up again. */
        void reset(int buffers) {
            bar.write8(20, (byte) 0);
            ring.fill((byte) 0);
            start(buffers);
        }
    }

    @Test
    void usedIdxJumpPublishesAnIndexMoreThanTheQueueAheadAndHoldsTheNextFramesUntilAReset() {
        Rx rx = Rx.open("mock:virtio-net?fault=used-idx-jump@1", 4);
        try (MockPciDevice d = rx.d()) {
            rx.inject(3);
            assertThat(rx.usedIdx()).as("1 honest entry, then the second published as 2 + queue size").isEqualTo(2 + QSZ);
            assertThat(rx.usedId(1)).isEqualTo(1);
            assertThat(rx.model().rxFifoFrames()).as("the device stopped: frame 3 waits").isEqualTo(1);
            rx.reset(4);
            assertThat(rx.usedIdx()).as("after the reset the held frame arrives").isEqualTo(1);
            assertThat(rx.usedLen(0)).isEqualTo(112);
            assertThat(rx.model().rxFifoFrames()).isZero();
        }
    }

    @Test
    void usedIdRangeReturnsTheFrameUnderAnIdBeyondTheQueue() {
        Rx rx = Rx.open("mock:virtio-net?fault=used-id-range", 4);
        try (MockPciDevice d = rx.d()) {
            rx.inject(2);
            assertThat(rx.usedIdx()).isEqualTo(1);
            assertThat(rx.usedId(0)).isEqualTo(QSZ);
            assertThat(rx.usedLen(0)).isEqualTo(112);
            assertThat(rx.model().rxFifoFrames()).isEqualTo(1);
        }
    }

    @Test
    void usedIdDuplicateReturnsTheSameBufferTwice() {
        Rx rx = Rx.open("mock:virtio-net?fault=used-id-duplicate@1", 4);
        try (MockPciDevice d = rx.d()) {
            rx.inject(3);
            assertThat(rx.usedIdx()).as("two elements for frame 2").isEqualTo(3);
            assertThat(new int[] {rx.usedId(0), rx.usedId(1), rx.usedId(2)}).containsExactly(0, 1, 1);
            assertThat(rx.model().rxFifoFrames()).isEqualTo(1);
        }
    }

    @Test
    void rxLengthZeroReportsZeroBytesOnceAndTheNextFrameIsHonest() {
        Rx rx = Rx.open("mock:virtio-net?fault=rx-length-zero", 4);
        try (MockPciDevice d = rx.d()) {
            rx.inject(2);
            assertThat(rx.usedIdx()).isEqualTo(2);
            assertThat(rx.usedLen(0)).isZero();
            assertThat(rx.usedLen(1)).isEqualTo(112);
        }
    }

    @Test
    void usedIdNotHeadSendsTheFrameReturnsItsSecondDescriptorAndStopsTheQueue() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=used-id-not-head@1")) {
            RegisterSpace bar = d.bar(4);
            d.setBusMaster(true);
            DmaRegion ringRegion = d.dma().allocate("tx-queue", 4096, 16);
            DmaRegion data = d.dma().allocate("tx-data", 4096, 16);
            MemorySegment r = ringRegion.segment();
            negotiate(bar);
            setUpQueue(bar, 1, ringRegion.iova());
            bar.write8(20, (byte) 0x0F);
            for (int s = 0; s < 3; s++) {                    // slot s: header 2s, frame 2s+1
                r.set(LE64, 32L * s, data.iova());
                r.set(LE32, 32L * s + 8, 12);
                r.set(LE16, 32L * s + 12, (short) 1);
                r.set(LE16, 32L * s + 14, (short) (2 * s + 1));
                r.set(LE64, 32L * s + 16, data.iova() + 64 + 128L * s);
                r.set(LE32, 32L * s + 24, 60);
                r.set(LE16, 16L * QSZ + 4 + 2L * s, (short) (2 * s));
            }
            r.set(LE16, 16L * QSZ + 2, (short) 3);
            bar.write16(0x3000 + 4, (short) 1);
            assertThat(d.wire().captured()).as("frames 1 and 2 left; the device stopped before frame 3").hasSize(2);
            assertThat(r.get(LE16, USED + 2)).isEqualTo((short) 2);
            assertThat(r.get(LE32, USED + 4)).as("frame 1 honestly").isZero();
            assertThat(r.get(LE32, USED + 12)).as("frame 2 under its frame descriptor").isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aTransmitChainOfSeveralDataDescriptorsIsOneFrameUnlessTxFirstBufferOnly(boolean fault) {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net" + (fault ? "?fault=tx-first-buffer-only" : ""))) {
            RegisterSpace bar = d.bar(4);
            d.setBusMaster(true);
            DmaRegion ringRegion = d.dma().allocate("tx-queue", 4096, 16);
            DmaRegion data = d.dma().allocate("tx-data", 4096, 16);
            MemorySegment r = ringRegion.segment();
            byte[] frame = new byte[100];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) (i + 1);
            }
            MemorySegment.copy(frame, 0, data.segment(), ValueLayout.JAVA_BYTE, 64, 40);
            MemorySegment.copy(frame, 40, data.segment(), ValueLayout.JAVA_BYTE, 512, 60);
            negotiate(bar);
            setUpQueue(bar, 1, ringRegion.iova());
            bar.write8(20, (byte) 0x0F);
            long[][] chain = {{data.iova(), 12}, {data.iova() + 64, 40}, {data.iova() + 512, 60}};
            for (int i = 0; i < chain.length; i++) {         // header 0 -> 1 -> 2, the frame in two pieces
                r.set(LE64, 16L * i, chain[i][0]);
                r.set(LE32, 16L * i + 8, (int) chain[i][1]);
                r.set(LE16, 16L * i + 12, (short) (i < 2 ? 1 : 0));
                r.set(LE16, 16L * i + 14, (short) (i + 1));
            }
            r.set(LE16, 16L * QSZ + 4, (short) 0);
            r.set(LE16, 16L * QSZ + 2, (short) 1);
            bar.write16(0x3000 + 4, (short) 1);
            assertThat(d.wire().captured()).singleElement()
                    .isEqualTo(fault ? java.util.Arrays.copyOf(frame, 40) : frame);
            assertThat(r.get(LE16, USED + 2)).as("the chain is used either way").isEqualTo((short) 1);
        }
    }

    @Test
    void theUsedRingFaultsAreListedWithTheirCounts() {
        assertThat(MockDevices.factory("virtio-net").faults()).containsKeys("used-idx-jump", "used-id-range",
                "used-id-duplicate", "used-id-not-head", "rx-length-zero", "vendor-cap-bar-missing",
                "vendor-cap-beyond-bar");
        assertThat(MockDevices.factory("virtio-net").faults().get("used-idx-jump")).contains("(default N=0)");
    }

    private static void negotiate(RegisterSpace bar) {
        bar.write8(20, (byte) 1);
        bar.write8(20, (byte) 3);
        bar.write32(8, 0);
        bar.write32(12, (int) ACCEPTED);
        bar.write32(8, 1);
        bar.write32(12, (int) (ACCEPTED >>> 32));
        bar.write8(20, (byte) 0x0B);
    }

    private static void setUpQueue(RegisterSpace bar, int q, long ring) {
        bar.write16(22, (short) q);
        bar.write16(24, (short) QSZ);
        bar.write64(32, ring);
        bar.write64(40, ring + 16L * QSZ);
        bar.write64(48, ring + USED);
        bar.write16(26, (short) (q + 1));
        bar.write16(28, (short) 1);
    }
}
