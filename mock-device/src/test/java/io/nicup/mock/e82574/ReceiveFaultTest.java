package io.nicup.mock.e82574;

import io.nicup.mock.DmaFault;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Receive faults of the 82574 (lengths, write-backs, heads, DMA, checksums, RSS), seen through the driver's eyes. */
class ReceiveFaultTest {

    @Test
    void rxLengthShouldReportALengthLargerThanTheBuffer() {
        try (Fixture f = Fixture.open("&fault=rx-length@1").up()) {
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 0));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 1));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 2));
            assertThat(f.drv.rxLength(0)).isEqualTo(100);
            assertThat(f.drv.rxLength(1)).isGreaterThan(f.drv.rxBufSize);
            assertThat(f.drv.rxLength(2)).isEqualTo(100); // once only
            assertThat(f.drv.rxData(1, 100)).isEqualTo(Frames.frame(Fixture.MAC, 100, 1));
        }
    }

    @Test
    void rxLengthZeroShouldReportALengthOfZeroOnce() {
        try (Fixture f = Fixture.open("&fault=rx-length-zero@1").up()) {
            for (int i = 0; i < 3; i++) {
                f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, i));
            }
            assertThat(f.drv.rxLength(0)).isEqualTo(100);
            assertThat(f.drv.rxLength(1)).isZero();
            assertThat(f.drv.rxStatus(1)).isEqualTo(RxDescriptor.STA_DD | RxDescriptor.STA_EOP);
            assertThat(f.drv.rxLength(2)).isEqualTo(100);
        }
    }

    @Test
    void rxLengthOverLimitShouldReportMoreThanAFrameWithoutLpeButLessThanTheBuffer() {
        try (Fixture f = Fixture.open("&fault=rx-length-over-limit@1").up()) {
            for (int i = 0; i < 3; i++) {
                f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, i));
            }
            assertThat(f.drv.rxLength(1)).isEqualTo(E82574Model.OVER_LIMIT_LENGTH).isGreaterThan(1522)
                    .isLessThanOrEqualTo(f.drv.rxBufSize);
            assertThat(f.drv.rxLength(2)).isEqualTo(100);
        }
    }

    @Test
    void rxDdUnsubmittedShouldWriteBackTheDescriptorAtRdtAndLeaveTheHead() {
        try (Fixture f = Fixture.open("&fault=rx-dd-unsubmitted@1").up()) {
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 0));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 1));
            assertThat(f.reg(Regs.RDT0)).isEqualTo(15);
            assertThat(f.reg(Regs.RDH0)).as("only the first frame moved the head").isEqualTo(1);
            assertThat(f.drv.rxStatus(15)).as("the slot never handed over").isEqualTo(RxDescriptor.STA_DD
                    | RxDescriptor.STA_EOP);
            assertThat(f.drv.rxStatus(1)).isZero();
            assertThat(f.model.counter(E82574Model.Counter.UNSUBMITTED_WRITE_BACKS)).isEqualTo(1);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 2));
            assertThat(f.drv.rxData(1, 100)).as("once only").isEqualTo(Frames.frame(Fixture.MAC, 100, 2));
        }
    }

    @Test
    void rxHeadOutOfRangeShouldPutRdhPastTheRingAndMissFramesUntilAReset() {
        try (Fixture f = Fixture.open("&fault=rx-head-out-of-range@1").up()) {
            for (int i = 0; i < 3; i++) {
                f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, i));
            }
            assertThat(f.reg(Regs.RDH0)).isEqualTo(16 + E82574Model.HEAD_BEYOND_RING);
            assertThat(f.reg(io.nicup.mock.intel.IntelRegs.MPC)).as("the frames the device could not place").isEqualTo(2);
            assertThat(f.model.counter(E82574Model.Counter.RX_HEAD_OUTSIDE_RING)).isEqualTo(2);
            assertThat(f.drv.rxStatus(1)).isZero();
            assertThat(f.dev.dmaFaults()).as("nothing written outside the ring").isEmpty();
            f.drv.reset();
            f.drv.setupRx(16, MiniDriver.RCTL_DEFAULT);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 3));
            assertThat(f.drv.rxData(0, 100)).isEqualTo(Frames.frame(Fixture.MAC, 100, 3));
        }
    }

    @Test
    void dmaFaultShouldWriteAFrameOutsideEveryMappingAndRecordIt() {
        try (Fixture f = Fixture.open("&fault=dma-fault@2").up()) {
            for (int i = 0; i < 4; i++) {
                f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, i));
            }
            assertThat(f.dev.dmaFaults()).singleElement().satisfies(fault -> {
                assertThat(fault.iova()).isEqualTo(E82574Model.DMA_FAULT_IOVA);
                assertThat(fault.length()).isEqualTo(100);
                assertThat(fault.write()).isTrue();
                assertThat(fault.context()).isEqualTo("rx-buffer");
            });
            // the device believes it wrote the frame: the descriptor says so, the buffer stays empty
            assertThat(f.drv.rxStatus(2)).isEqualTo(RxDescriptor.STA_DD | RxDescriptor.STA_EOP);
            assertThat(f.drv.rxData(2, 100)).containsOnly(0);
            assertThat(f.drv.rxData(3, 100)).isEqualTo(Frames.frame(Fixture.MAC, 100, 3));
            assertThat(f.dev.dmaAllocator().faultCount()).isEqualTo(1);
            assertThat(f.dev.dmaFaults().get(0)).isInstanceOf(DmaFault.class);
        }
    }

    @Test
    void rxCsumLieShouldTurnEveryVerdictOver() {
        byte[] good = io.nicup.mock.IpFrames.frame(Fixture.MAC, Frames.PEER, false, io.nicup.mock.IpFrames.UDP, 0, 64, 1,
                true);
        for (boolean lie : new boolean[] {false, true}) {
            try (Fixture f = Fixture.open(lie ? "&fault=rx-csum-lie" : "").up()) {
                f.dev.wire().inject(good);
                int status = f.drv.rxStatus(0);
                int errors = f.drv.rxDesc(0).get(java.lang.foreign.ValueLayout.JAVA_BYTE, RxDescriptor.ERRORS) & 0xFF;
                assertThat(status & 0x50).as("IPCS and UDPCS: RXCSUM is 0x300 after reset").isEqualTo(0x50);
                assertThat(errors & 0x60).as("IPE and TCPE").isEqualTo(lie ? 0x60 : 0);
            }
        }
    }

    @Test
    void rssBadHashShouldTurnTheWrittenBackHashOverButNotTheQueue() {
        RssTest.badHashTurnsBitZeroOver();
    }

    @Test
    void rssWrongQueueShouldWriteEachHashedFrameToTheOtherRing() {
        RssTest.wrongQueueTakesTheOtherRing();
    }
}
