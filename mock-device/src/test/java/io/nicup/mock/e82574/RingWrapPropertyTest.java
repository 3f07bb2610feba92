package io.nicup.mock.e82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.util.List;

/** Head/tail arithmetic and wrap-around over thousands of frames of random sizes. */
class RingWrapPropertyTest {

    @SeededTest(cases = 8)
    void everyTransmittedFrameReachesTheWireIntactAcrossWraps(Gen gen) {
        int ringEighths = gen.between(1, 8);
        List<Integer> sizes = gen.listOf(2000, 3000, () -> gen.between(14, 1518));
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

    @SeededTest(cases = 8)
    void everyReceivedFrameReachesTheRingIntactAcrossWraps(Gen gen) {
        int ringEighths = gen.between(1, 8);
        int bsize = gen.between(0, 3);
        List<Integer> sizes = gen.listOf(2000, 3000, () -> gen.between(60, 1518));
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

    @SeededTest(cases = 5)
    void loopbackKeepsEveryFrameInOrder(Gen gen) {
        List<Integer> sizes = gen.listOf(1000, 2000, () -> gen.between(60, 1518));
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
