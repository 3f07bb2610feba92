package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The miniport against a device that writes what it has no right to write into the used rings
 * ({@code mock:virtio-net?fault=used-*}): nothing outside its own buffers is read, no NBL is indicated or
 * completed twice, each bad element is counted, written to the error log and ended by a reset, and every
 * frame is accounted for.
 */
class VirtioHostileUsedRingTest {

    @Test
    void aUsedIndexPastTheRingBreaksItAndTheResetBringsTheHeldFrames() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=used-idx-jump@2")) {
            b.running();
            List<byte[]> in = VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 5, 100, 0);
            for (byte[] f : in) {
                b.inject(f);
                b.pump();
            }
            assertThat(VirtioBench.seqs(b.edge.received())).as("frame 2's element came with the jump").containsExactly(0, 1);
            assertThat(b.nic().health.needsReset()).isTrue();
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().recovery.resets).isEqualTo(1);
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0, 1, 3, 4);
            assertThat(b.diagnostics().counters()).containsEntry("rxq0_ring_errors", 1L);
            assertThat(b.statistics().ifInErrors()).as("the one frame lost with the bad index").isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString()
                    .contains("the device broke the virtqueue protocol", "receiveq1 used.idx moved past");
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }

    @Test
    void aUsedIdOutOfRangeIsNotReadAndTheRingIsReset() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=used-id-range@1")) {
            b.running();
            VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 4, 100, 0).forEach(b::inject);
            b.pump();
            b.host.idle(Duration.ofSeconds(3));
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0, 2, 3);
            assertThat(b.statistics().ifInErrors()).isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("used id out of range: id=256");
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aBufferReturnedTwiceIsIndicatedOnce() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=used-id-duplicate@1")) {
            b.running();
            VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 4, 100, 0).forEach(b::inject);
            b.pump();
            b.host.idle(Duration.ofSeconds(3));
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).as("frame 1 once, then the held ones").containsExactly(0, 1, 2, 3);
            assertThat(b.statistics().ifInErrors()).as("the second element for the same buffer").isEqualTo(1);
            assertThat(b.adapter.errorLog()).singleElement().asString().contains("already returned");
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }

    @Test
    void aZeroUsedLengthDropsAndCountsThatFrameOnly() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=rx-length-zero@2")) {
            b.running();
            VirtioBench.frames(VirtioBench.MAC, VirtioBench.PEER, 5, 100, 0).forEach(b::inject);
            b.pump();
            assertThat(VirtioBench.seqs(b.edge.received())).containsExactly(0, 1, 3, 4);
            assertThat(b.diagnostics().counters()).containsEntry("rxq0_length_errors", 1L).containsEntry("rxq0_ring_errors", 0L);
            assertThat(b.nic().recovery.resets).isZero();
        }
    }

    @Test
    void aTransmitElementThatIsNotAChainHeadFailsWhatWasInFlightAndSendsNothingTwice() {
        try (VirtioBench b = new VirtioBench("mock:virtio-net?fault=used-id-not-head@3")) {
            b.running();
            List<byte[]> out = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 10, 80, 0);
            b.send(out);
            assertThat(b.wire.captured()).as("frames 0-3 left; the device stopped").hasSize(4);
            b.host.idle(Duration.ofSeconds(3));
            assertThat(b.nic().recovery.resets).isEqualTo(1);
            long failed = b.edge.completedFailure();
            assertThat(b.edge.completedOk() + failed).as("every NBL completed once").isEqualTo(10);
            assertThat(failed).as("frame 3 and those queued behind it in the ring: unconfirmed").isEqualTo(7);
            assertThat(VirtioBench.seqs(b.wire.captured())).doesNotHaveDuplicates();
            assertThat(b.diagnostics().counters()).containsEntry("txq0_errors", 1L);
            assertThat(b.adapter.errorLog()).singleElement().asString()
                    .contains("transmitq1 used id is not the head of a chain in flight: id=7");
            List<byte[]> after = VirtioBench.frames(VirtioBench.PEER, VirtioBench.MAC, 3, 80, 100);
            b.send(after);
            assertThat(b.wire.captured()).as("traffic resumes after the reset").hasSize(7);
            assertThat(b.host.verifier().verdict().passed()).isTrue();
        }
    }
}
