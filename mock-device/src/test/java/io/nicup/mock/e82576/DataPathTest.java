package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Bench.LE32;
import static io.nicup.mock.e82576.Bench.MAC;
import static io.nicup.mock.e82576.Bench.PEER;
import static io.nicup.mock.e82576.Bench.RCTL_ON;
import static io.nicup.mock.e82576.Bench.frame;
import static io.nicup.mock.e82576.Regs.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.Mdic;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 82576 model's data path: queue enables, advanced descriptors, loopback, size limits, statistics. */
class DataPathTest {

    @Test
    void aQueueEnableReadsBackAfterALittleTimeAndATailBumpedBeforeIsNoted() {
        try (Bench b = new Bench("")) {
            b.write(0x2828, 0);
            b.advance(Timing.QUEUE_ENABLE_NANOS);
            assertThat(b.read(0x2828) & QUEUE_ENABLE).isZero();
            b.write(0x2828, QUEUE_ENABLE | 8);
            assertThat(b.read(0x2828)).as("thresholds at once, ENABLE later").isEqualTo(8);
            b.write(0x2818, 5);
            assertThat(b.dev.notedAccesses()).anyMatch(a -> a.kind().equals("tail-before-enable"));
            b.advance(Timing.QUEUE_ENABLE_NANOS);
            assertThat(b.read(0x2828)).isEqualTo(QUEUE_ENABLE | 8);
            assertThat(b.read(0xC028)).as("0xC000 block aliases queue 0").isEqualTo(QUEUE_ENABLE | 8);
        }
    }

    @Test
    void advancedTransmitDescriptorsPutFramesOnTheWireAndWriteDdBack() {
        try (Bench b = new Bench("")) {
            b.up(RCTL_ON);
            byte[] f = frame(PEER, MAC, 100, 1);
            b.send(f, 0);
            assertThat(b.dev.wire().captured()).containsExactly(f);
            assertThat(b.txRing.segment().get(LE32, 12)).isEqualTo(100 << 14 | TxDesc.STA_DD);
            assertThat(b.read(0x3810)).isEqualTo(1);
            assertThat(b.read(ICR) & Icr.TXDW).isNotZero();
            assertThat(b.read(GPTC)).isEqualTo(1);
            assertThat(b.read(GOTCL)).isEqualTo(104);
        }
    }

    @Test
    void aDisabledTransmitQueueSendsNothingUntilEnabled() {
        try (Bench b = new Bench("")) {
            b.up(RCTL_ON);
            b.write(0x3828, 0);
            b.advance(Timing.QUEUE_ENABLE_NANOS);
            byte[] f = frame(PEER, MAC, 80, 2);
            b.send(f, 0);
            assertThat(b.dev.wire().captured()).isEmpty();
            b.write(0x3828, QUEUE_ENABLE);
            b.advance(Timing.QUEUE_ENABLE_NANOS);
            assertThat(b.dev.wire().captured()).containsExactly(f);
        }
    }

    @Test
    void receivedFramesAreWrittenWithAdvancedWriteBackAndAFrameWithoutBuffersWaits() {
        try (Bench b = new Bench("")) {
            b.up(RCTL_ON);
            List<byte[]> in = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                in.add(frame(MAC, PEER, 64 + i, i));
                b.dev.wire().inject(in.get(i));
            }
            assertThat(b.model.rxFifoFrames()).as("15 descriptors: 5 frames held").isEqualTo(5);
            assertThat(b.rxRing.segment().get(LE32, 8)).isEqualTo(RxDesc.STAT_DD | RxDesc.STAT_EOP);
            assertThat(b.rxRing.segment().get(LE32, 12) & 0xFFFF).isEqualTo(64);
            List<byte[]> got = new ArrayList<>();
            for (byte[] f; (f = b.receive()) != null || got.size() < 20; ) {
                if (f == null) {
                    break;
                }
                got.add(f);
            }
            assertThat(got).containsExactlyElementsOf(in);
            assertThat(b.read(GPRC)).isEqualTo(20);
            assertThat(b.read(RNBC)).isEqualTo(5);
        }
    }

    @Test
    void phyAndMacLoopbackTurnTransmittedFramesAroundInsideTheChip() {
        try (Bench b = new Bench("")) {
            b.up(RCTL_ON | Rctl.UPE);
            b.mdic(Mdic.OP_WRITE, Phy.BMCR, 0x4140);
            byte[] f = frame(MAC, MAC, 200, 3);
            b.send(f, 0);
            assertThat(b.dev.wire().captured()).isEmpty();
            assertThat(b.receive()).isEqualTo(f);
            b.mdic(Mdic.OP_WRITE, Phy.BMCR, 0x1140);
            b.write(RCTL, RCTL_ON | Rctl.UPE | Rctl.LBM_MAC);
            b.send(f, 0);
            assertThat(b.dev.wire().captured()).isEmpty();
            assertThat(b.receive()).isEqualTo(f);
            b.dev.wire().inject(frame(MAC, PEER, 64, 9));
            assertThat(b.model.counter(E82576Model.Counter.RX_IGNORED_IN_LOOPBACK)).isEqualTo(1);
        }
    }

    @Test
    void oversizedFramesAreCountedInRocAndRlpmlIsTheLimitWithLpe() {
        try (Bench b = new Bench("")) {
            b.up(RCTL_ON);
            b.dev.wire().inject(frame(MAC, PEER, 1515, 1));
            assertThat(b.read(ROC)).isEqualTo(1);
            b.write(RCTL, RCTL_ON | Rctl.LPE);
            b.write(RLPML, 1522);
            b.dev.wire().inject(frame(MAC, PEER, 1518, 2));
            assertThat(b.read(GPRC)).isEqualTo(1);
            b.dev.wire().inject(frame(MAC, PEER, 1519, 3));
            assertThat(b.read(ROC)).isEqualTo(1);
        }
    }

    @Test
    void statisticsClearOnReadAndTheHighOctetHalfClearsBoth() {
        try (Bench b = new Bench("")) {
            b.up(RCTL_ON);
            b.send(frame(PEER, MAC, 100, 1), 0);
            assertThat(b.read(TPT)).isEqualTo(1);
            assertThat(b.read(TPT)).isZero();
            assertThat(b.read(GOTCL)).isEqualTo(104);
            b.read(GOTCL + 4);
            assertThat(b.read(GOTCL)).isZero();
        }
    }
}
