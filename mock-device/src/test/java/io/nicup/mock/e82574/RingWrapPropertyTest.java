package io.nicup.mock.e82574;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Head/tail arithmetic and wrap-around over thousands of frames of random sizes. */
class RingWrapPropertyTest {

    @Property(tries = 8)
    void everyTransmittedFrameReachesTheWireIntactAcrossWraps(
            @ForAll @IntRange(min = 1, max = 8) int ringEighths,
            @ForAll @Size(min = 2000, max = 3000) List<@IntRange(min = 14, max = 1518) Integer> sizes) {
        int ring = 8 * ringEighths;
        try (Fixture f = Fixture.open().up(ring, 8, MiniDriver.RCTL_DEFAULT)) {
            int seed = 0;
            for (int size : sizes) {
                byte[] frame = Frames.frame(Frames.PEER, size, seed++);
                int slot = f.drv.send(frame);
                byte[] expected = size < 60 ? java.util.Arrays.copyOf(frame, 60) : frame;
                assertThat(f.dev.wire().pollCaptured()).isEqualTo(expected);
                assertThat(f.drv.txStatus(slot) & TxDescriptor.STA_DD).isEqualTo(TxDescriptor.STA_DD);
                assertThat(f.reg(Regs.TDH0)).isEqualTo(f.drv.txTail);
            }
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(sizes.size());
            assertThat(f.reg(Regs.GPTC)).isEqualTo(sizes.size());
        }
    }

    @Property(tries = 8)
    void everyReceivedFrameReachesTheRingIntactAcrossWraps(
            @ForAll @IntRange(min = 1, max = 8) int ringEighths,
            @ForAll @IntRange(min = 0, max = 3) int bsize,
            @ForAll @Size(min = 2000, max = 3000) List<@IntRange(min = 60, max = 1518) Integer> sizes) {
        int ring = 8 * ringEighths;
        int bufSize = 2048 >> bsize;
        int rctl = MiniDriver.RCTL_DEFAULT | bsize << 16;
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupRx(ring, rctl, bufSize);
            int seed = 0;
            long descriptors = 0;
            for (int size : sizes) {
                byte[] frame = Frames.frame(Fixture.MAC, size, seed++);
                f.dev.wire().inject(frame);
                // a frame needing more buffers than the ring has free is held until descriptors return
                byte[] got = f.drv.receive();
                while (got == null && f.model.rxFifoFrames() > 0) {
                    got = f.drv.receive();
                }
                assertThat(got).isEqualTo(frame);
                descriptors += (size + bufSize - 1) / bufSize;
            }
            assertThat(f.reg(Regs.RDH0)).isEqualTo((int) (descriptors % ring));
            assertThat(f.reg(Regs.GPRC)).isEqualTo(sizes.size());
            assertThat(f.model.rxFifoFrames()).isZero();
        }
    }

    @Property(tries = 5)
    void loopbackKeepsEveryFrameInOrder(
            @ForAll @Size(min = 1000, max = 2000) List<@IntRange(min = 60, max = 1518) Integer> sizes) {
        try (Fixture f = Fixture.open().up(32, 32, MiniDriver.RCTL_DEFAULT | Regs.Rctl.LBM_MAC)) {
            int seed = 0;
            for (int size : sizes) {
                byte[] frame = Frames.frame(Frames.BROADCAST, size, seed++);
                f.drv.send(frame);
                assertThat(f.drv.receive()).isEqualTo(frame);
            }
            assertThat(f.dev.wire().transmittedFrames()).isZero();
        }
    }
}
