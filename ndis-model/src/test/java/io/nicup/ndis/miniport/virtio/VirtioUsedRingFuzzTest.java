package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nicup.mock.MockDmaAllocator;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;

/**
 * The used rings as a hostile device writes them: fuzzer-chosen used elements (id, len) and used.idx
 * written through the simulated IOMMU into receiveq1 and transmitq1 (tx-hang@4 holds the device's
 * transmit side still after four frames, so four chains stay in flight), then the DPC takes them. The oracle: no exception escapes, the
 * DPC ends, no frame is indicated that the device was not given a buffer for (nothing outside the driver's
 * own buffers), every NBL is completed at most once and every send exactly once by the end, the NDIS
 * verifier sees no violation, and after CheckForHang and the reset the adapter receives again and halts
 * with nothing left mapped.
 *
 * <p>Input: rounds of {@code [flags u8][idx advance u16][count u8][count x (id u32, len u32)]}, little-endian;
 * bit 0 of flags picks the transmit queue.
 */
class VirtioUsedRingFuzzTest {

    private static final int ROUNDS = 4;
    private static final int MAX_ELEMENTS = 16;
    private static final int SENDS = 8;

    @FuzzTest
    void anyUsedRingIsTakenOrBreaksTheRingAndTheAdapterRecovers(byte[] input) {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=tx-hang@4")) {
            b.running();
            b.send(VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, SENDS, 64, 0));
            VirtioNetAdapter nic = b.nic();
            MockDmaAllocator dma = b.device.dmaAllocator();
            ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
            for (int round = 0; round < ROUNDS && in.remaining() >= 4; round++) {
                boolean tx = (in.get() & 1) != 0;
                int advance = in.getShort() & 0xFFFF;
                int count = Math.min(in.get() & 0xFF, MAX_ELEMENTS);
                SplitRing ring = tx ? nic.queues.tx.ring() : nic.queues.rx.ring();
                long used = ring.usedIova();
                for (int k = 0; k < count && in.remaining() >= 8; k++) {
                    long elem = used + Virtq.USED_RING + 8L * ((ring.lastUsed() + k) & (ring.size() - 1));
                    dma.write32(elem, in.getInt(), "fuzz-used-id");
                    dma.write32(elem + 4, in.getInt(), "fuzz-used-len");
                }
                dma.write16(used + Virtq.USED_IDX, (short) (ring.lastUsed() + advance), "fuzz-used-idx");
                nic.dataPath.serviceRx();
                nic.dataPath.serviceTx();
                assertThat(b.edge.received().size()).as("no more frames than buffers").isLessThanOrEqualTo(
                        nic.queues.rx.size());
                assertThat(b.edge.completedOk() + b.edge.completedFailed()).isLessThanOrEqualTo(SENDS);
            }
            b.host.idle(Duration.ofSeconds(3));                // CheckForHang, and the reset it asks for
            byte[] probe = VirtioBench.frame(VirtioBench.MAC, VirtioBench.PEER, 100, 4242);
            b.edge.clearReceived();
            b.inject(probe);
            b.pump();
            assertThat(b.edge.received()).as("the adapter receives after the device misbehaved").containsExactly(probe);
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
            b.host.pause(b.adapter);
            assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("every send completed once")
                    .isEqualTo(SENDS);
            b.halt();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.dmaAllocator().faults()).as("the device was only ever given the driver's buffers")
                    .isEqualTo(List.of());
        }
    }
}
