package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.util.Random;

/**
 * Random batch sizes, device progress and clean-up sizes over many thousands of frames: the ring's
 * invariants hold at every step.
 */
class TxRingPropertyTest {

    private static final long TDT = Regs82574.TDT(0);

    @SeededTest(cases = 60)
    void everyFrameCompletesExactlyOnceInSubmissionOrder(Gen gen) {
        int count = gen.oneOf(64, 128, 256, 512, 1024, 2048, 4096);
        int maxBatch = gen.between(1, 300);
        Random random = gen.random();
        try (Rig rig = new Rig(count, 64, PacketBufferPool.DEFAULT_BUFFER_SIZE, 64)) {
            int frames = 5_000 + 2 * count;
            long[] iovas = new long[maxBatch];
            int[] lengths = new int[maxBatch];
            int[] tags = new int[maxBatch];
            int[] done = new int[count];
            int nextTag = 0;
            int expectedTag = 0;
            int transmittedChecked = 0;
            while (expectedTag < frames) {
                // Driver: offer a batch (the remainder of what is left to send).
                int offered = Math.min(1 + random.nextInt(maxBatch), frames - nextTag);
                for (int i = 0; i < offered; i++) {
                    iovas[i] = 0x9_0000_0000L + 64L * (nextTag + i);
                    lengths[i] = 60 + (nextTag + i) % 1455;
                    tags[i] = nextTag + i;
                }
                int before = rig.tx.inFlight();
                long doorbells = rig.regs.writeCount(TDT);
                int accepted = rig.tx.submit(iovas, lengths, tags, 0, offered);

                assertThat(accepted).isEqualTo(Math.min(offered, count - 1 - before));
                assertThat(rig.regs.writeCount(TDT)).isEqualTo(doorbells + (accepted > 0 ? 1 : 0));
                assertThat(rig.tx.inFlight()).isLessThanOrEqualTo(count - 1);
                assertThat(rig.regs.value(TDT)).isEqualTo(rig.tx.tail()).isLessThan(count);
                nextTag += accepted;

                // Device: send some of what it owns.
                rig.device.transmit(random.nextInt(2 * maxBatch + 1));
                for (; transmittedChecked < rig.device.transmitted().size(); transmittedChecked++) {
                    FakeDevice.TxFrame frame = rig.device.transmitted().get(transmittedChecked);
                    assertThat(frame.iova()).isEqualTo(0x9_0000_0000L + 64L * transmittedChecked);
                    assertThat(frame.length()).isEqualTo(60 + transmittedChecked % 1455);
                    assertThat(frame.cmd()).isEqualTo(TxRing.CMD);
                }

                // Driver: clean some; never more than the device finished, always in order.
                int cleaned = rig.tx.clean(done, 0, 1 + random.nextInt(count));
                for (int i = 0; i < cleaned; i++) {
                    assertThat(done[i]).isEqualTo(expectedTag++);
                }
                assertThat(expectedTag).isLessThanOrEqualTo(rig.device.transmitted().size());
                assertThat(rig.tx.inFlight()).isEqualTo(nextTag - expectedTag);

                if (nextTag == frames && random.nextInt(4) == 0) {
                    rig.device.transmit(Integer.MAX_VALUE);
                }
            }
            assertThat(rig.device.transmitted()).hasSize(frames);
            assertThat(rig.device.badTails()).isZero();
            assertThat(rig.tx.inFlight()).isZero();
        }
    }

    @SeededTest(cases = 30)
    void drainingAfterAStopGivesBackExactlyWhatWasNotCleaned(Gen gen) {
        int count = gen.oneOf(64, 128, 256, 512, 1024, 2048, 4096);
        int submitted = gen.between(0, 5000);
        int percentDone = gen.between(0, 100);
        try (Rig rig = new Rig(count, 64, PacketBufferPool.DEFAULT_BUFFER_SIZE, 64)) {
            int n = Math.min(submitted, count - 1);
            long[] iovas = new long[n];
            int[] lengths = new int[n];
            int[] tags = new int[n];
            for (int i = 0; i < n; i++) {
                iovas[i] = 0x9_0000_0000L + i;
                lengths[i] = 100;
                tags[i] = i;
            }
            assertThat(rig.tx.submit(iovas, lengths, tags, 0, n)).isEqualTo(n);
            rig.device.transmit(n * percentDone / 100);
            int[] out = new int[count];
            int cleaned = rig.tx.clean(out, 0, count);
            int drained = rig.tx.drain(out, cleaned, count);
            assertThat(cleaned).isEqualTo(n * percentDone / 100);
            assertThat(cleaned + drained).isEqualTo(n);
            for (int i = 0; i < n; i++) {
                assertThat(out[i]).isEqualTo(i);
            }
        }
    }
}
