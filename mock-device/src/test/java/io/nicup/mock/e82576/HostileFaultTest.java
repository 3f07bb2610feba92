package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Bench.COUNT;
import static io.nicup.mock.e82576.Bench.LE32;
import static io.nicup.mock.e82576.Bench.MAC;
import static io.nicup.mock.e82576.Bench.PEER;
import static io.nicup.mock.e82576.Bench.RCTL_ON;
import static io.nicup.mock.e82576.Bench.frame;
import static io.nicup.mock.e82576.Regs.STATUS;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.IntelRegs;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The 82576 model's hostile-device faults (mock-device/README.md): write-back lengths no frame has, DD on
 * descriptors never handed over, heads outside their ring, registers that stop telling the truth.
 */
class HostileFaultTest {

    private static final int RDH = 0x2810;
    private static final int RDT = 0x2818;
    private static final int TDH = 0x3810;
    private static final int TDT = 0x3818;

    private static int rxLength(Bench b, int slot) {
        return b.rxRing.segment().get(LE32, slot * 16L + 12) & 0xFFFF;
    }

    private static int rxStatus(Bench b, int slot) {
        return b.rxRing.segment().get(LE32, slot * 16L + 8);
    }

    @Test
    void rxLengthZeroReportsZeroForFrameNPlusOneOnly() {
        try (Bench b = new Bench("&fault=rx-length-zero@1")) {
            b.up(RCTL_ON);
            for (int i = 0; i < 3; i++) {
                b.dev.wire().inject(frame(MAC, PEER, 64, i));
            }
            assertThat(rxLength(b, 0)).isEqualTo(64);
            assertThat(rxLength(b, 1)).isZero();
            assertThat(rxStatus(b, 1) & 0x3).as("DD|EOP").isEqualTo(0x3);
            assertThat(rxLength(b, 2)).isEqualTo(64);
        }
    }

    @Test
    void rxLengthOverLimitReportsMoreThanAFrameWithinTheBuffer() {
        try (Bench b = new Bench("&fault=rx-length-over-limit@0")) {
            b.up(RCTL_ON);
            b.dev.wire().inject(frame(MAC, PEER, 64, 0));
            assertThat(rxLength(b, 0)).isEqualTo(E82576Model.OVER_LIMIT_LENGTH).isGreaterThan(1522).isLessThan(2048);
        }
    }

    @Test
    void rxDdUnsubmittedWritesBackTheDescriptorAtRdt() {
        try (Bench b = new Bench("&fault=rx-dd-unsubmitted@0")) {
            b.up(RCTL_ON);
            b.dev.wire().inject(frame(MAC, PEER, 64, 0));
            assertThat(b.read(RDT)).isEqualTo(COUNT - 1);
            assertThat(rxStatus(b, COUNT - 1) & 0x3).isEqualTo(0x3);
            assertThat(b.read(RDH)).isZero();
            assertThat(b.model.counter(E82576Model.Counter.UNSUBMITTED_WRITE_BACKS)).isEqualTo(1);
        }
    }

    @Test
    void txDdUnsubmittedSetsDdInTheDescriptorAtTdt() {
        try (Bench b = new Bench("&fault=tx-dd-unsubmitted@1")) {
            b.up(RCTL_ON);
            b.send(frame(PEER, MAC, 64, 0), 0);
            assertThat(b.read(TDT)).isEqualTo(1);
            assertThat(b.txRing.segment().get(LE32, 16 + 12) & 1).as("DD in slot 1, never submitted").isEqualTo(1);
            assertThat(b.dev.wire().transmittedFrames()).isEqualTo(1);
        }
    }

    @Test
    void rxHeadOutOfRangePutsRdhPastTheRingAndCountsTheFramesMissed() {
        try (Bench b = new Bench("&fault=rx-head-out-of-range@1")) {
            b.up(RCTL_ON);
            for (int i = 0; i < 3; i++) {
                b.dev.wire().inject(frame(MAC, PEER, 64, i));
            }
            assertThat(b.read(RDH)).isEqualTo(COUNT + E82576Model.HEAD_BEYOND_RING);
            assertThat(b.read(IntelRegs.MPC)).isEqualTo(2);
            assertThat(b.dev.dmaFaults()).isEmpty();
        }
    }

    @Test
    void txHeadOutOfRangePutsTdhPastTheRingAndStopsTransmit() {
        try (Bench b = new Bench("&fault=tx-head-out-of-range@1")) {
            b.up(RCTL_ON);
            for (int i = 0; i < 3; i++) {
                b.send(frame(PEER, MAC, 64, i), 0);
            }
            assertThat(b.read(TDH)).isEqualTo(COUNT + E82576Model.HEAD_BEYOND_RING);
            assertThat(b.dev.wire().transmittedFrames()).isEqualTo(1);
            assertThat(b.model.counter(E82576Model.Counter.TX_HEAD_OUTSIDE_RING)).isEqualTo(3);
        }
    }

    @Test
    void registersAllOnesAnswerAllOnesFromReadNPlusOneWithTheConfigSpaceStillThere() {
        try (Bench b = new Bench("&fault=registers-all-ones@2")) {
            assertThat(b.read(STATUS)).isNotEqualTo(-1);
            assertThat(b.read(STATUS)).isNotEqualTo(-1);
            assertThat(b.read(STATUS)).isEqualTo(-1);
            assertThat(b.dev.configSpace().read16(0)).isEqualTo(0x8086);
        }
    }

    @Test
    void registersRandomAnswerRandomValuesFromReadNPlusOne() {
        int[] seen = new int[6];
        try (Bench b = new Bench("&fault=registers-random@0")) {
            for (int i = 0; i < seen.length; i++) {
                seen[i] = b.read(STATUS);
            }
        }
        assertThat(Arrays.stream(seen).distinct().count()).isGreaterThan(3);
    }
}
