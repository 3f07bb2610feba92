package io.nicup.mock.e82574;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Transmit faults of the 82574 (hangs, write-backs, heads, offloads, pause), seen through the driver's eyes. */
class TransmitFaultTest {

    @Test
    void txHangShouldStopTdhAfterNFramesUntilReset() {
        try (Fixture f = Fixture.open("&fault=tx-hang@3").up()) {
            for (int i = 0; i < 5; i++) {
                f.drv.send(Frames.frame(Frames.PEER, 64, i));
            }
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(3);
            assertThat(f.reg(Regs.TDH0)).isEqualTo(3);
            assertThat(f.reg(Regs.TDT0)).isEqualTo(5);
            f.dev.clock().advance(1_000_000_000L);
            f.drv.kickTx();
            assertThat(f.reg(Regs.TDH0)).isEqualTo(3);
            assertThat(f.model.txHung()).isTrue();
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupTx(16);
            f.drv.send(Frames.frame(Frames.PEER, 64, 9));
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(4);
        }
    }

    @Test
    void txDdUnsubmittedShouldSetDdInTheDescriptorAtTdt() {
        try (Fixture f = Fixture.open("&fault=tx-dd-unsubmitted@2").up()) {
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.drv.txStatus(1) & TxDescriptor.STA_DD).isZero();
            f.drv.send(Frames.frame(Frames.PEER, 64, 1));
            assertThat(f.reg(Regs.TDT0)).isEqualTo(2);
            assertThat(f.drv.txStatus(2) & TxDescriptor.STA_DD).as("never submitted").isEqualTo(TxDescriptor.STA_DD);
            assertThat(f.model.counter(E82574Model.Counter.UNSUBMITTED_WRITE_BACKS)).isEqualTo(1);
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(2);
        }
    }

    @Test
    void txFirstBufferOnlyShouldSendAFrameOfSeveralDescriptorsWithItsFirstBufferOnly() {
        try (Fixture f = Fixture.open("&fault=tx-first-buffer-only").up()) {
            byte[] frame = Frames.frame(Frames.PEER, 300, 7);
            f.drv.putTx(java.util.Arrays.copyOfRange(frame, 0, 100), TxDescriptor.CMD_IFCS | TxDescriptor.CMD_RS);
            int last = f.drv.putTx(java.util.Arrays.copyOfRange(frame, 100, 300), MiniDriver.CMD_DEFAULT);
            f.drv.kickTx();
            f.drv.send(Frames.frame(Frames.PEER, 64, 8));
            assertThat(f.dev.wire().captured()).hasSize(2);
            assertThat(f.dev.wire().captured().get(0)).as("the first descriptor's 100 bytes only")
                    .isEqualTo(java.util.Arrays.copyOf(frame, 100));
            assertThat(f.dev.wire().captured().get(1)).as("a one-descriptor frame is whole")
                    .isEqualTo(Frames.frame(Frames.PEER, 64, 8));
            assertThat(f.drv.txStatus(last) & TxDescriptor.STA_DD).isEqualTo(TxDescriptor.STA_DD);
        }
    }

    @Test
    void txHeadOutOfRangeShouldPutTdhPastTheRingAndStopTransmitUntilAReset() {
        try (Fixture f = Fixture.open("&fault=tx-head-out-of-range@2").up()) {
            for (int i = 0; i < 4; i++) {
                f.drv.send(Frames.frame(Frames.PEER, 64, i));
            }
            assertThat(f.reg(Regs.TDH0)).isEqualTo(16 + E82574Model.HEAD_BEYOND_RING);
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(2);
            assertThat(f.dev.dmaFaults()).isEmpty();
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupTx(16);
            f.drv.send(Frames.frame(Frames.PEER, 64, 9));
            assertThat(f.dev.wire().transmittedFrames()).as("once only").isEqualTo(3);
        }
    }

    /**
     * One IPv4/TCP frame as the NDIS transport hands it over (IP checksum 0, the pseudo-header sum in the
     * TCP field) behind a TCP/IP context descriptor, in an extended data descriptor with POPTS IXSM|TXSM.
     */
    private static byte[] sendWithChecksumOffload(Fixture f) {
        byte[] frame = io.nicup.mock.IpFrames.frame(Frames.PEER, Fixture.MAC, false, io.nicup.mock.IpFrames.TCP, 0, 100,
                3, false);
        java.lang.foreign.MemorySegment ctx = f.drv.txDesc(f.drv.txTail);
        ctx.set(MiniDriver.LE32, 0, 14 | (14 + 10) << 8 | (14 + 20 - 1) << 16);   // IPCSS, IPCSO, IPCSE
        ctx.set(MiniDriver.LE32, 4, 34 | (34 + 16) << 8);                          // TUCSS, TUCSO, TUCSE 0
        ctx.set(MiniDriver.LE32, 8, TxDescriptor.CMD_DEXT | TxDescriptor.TUCMD_TCP);
        ctx.set(MiniDriver.LE32, 12, 0);
        f.drv.txTail = (f.drv.txTail + 1) % f.drv.txCount;
        int slot = f.drv.putTx(frame, MiniDriver.CMD_DEFAULT | TxDescriptor.CMD_DEXT | TxDescriptor.DTYP_DATA);
        f.drv.txDesc(slot).set(MiniDriver.LE32, 12, (io.nicup.mock.intel.ChecksumOffload.POPTS_IXSM
                | io.nicup.mock.intel.ChecksumOffload.POPTS_TXSM) << 8);
        f.drv.kickTx();
        return frame;
    }

    @Test
    void txCsumSkipShouldLeaveTheChecksumFieldsAsTheDriverGaveThem() {
        try (Fixture f = Fixture.open().up()) {
            sendWithChecksumOffload(f);
            byte[] wire = f.dev.wire().captured().getLast();
            assertThat(io.nicup.mock.IpFrames.ipHeaderChecksumOk(wire)).as("without the fault: inserted").isTrue();
            assertThat(io.nicup.mock.IpFrames.l4ChecksumOk(wire)).isTrue();
        }
        try (Fixture f = Fixture.open("&fault=tx-csum-skip").up()) {
            byte[] sent = sendWithChecksumOffload(f);
            byte[] wire = f.dev.wire().captured().getLast();
            assertThat(java.util.Arrays.copyOf(wire, sent.length)).as("the fields the driver left").isEqualTo(sent);
            assertThat(io.nicup.mock.IpFrames.ipHeaderChecksumOk(wire)).isFalse();
            assertThat(io.nicup.mock.IpFrames.l4ChecksumOk(wire)).isFalse();
        }
    }

    /**
     * A TCP segmentation of 2000 payload bytes at MSS 536 (docs/hardware-reference.md B.17): TSE context with
     * PAYLEN, HDRLEN and MSS, one data descriptor with DCMD.TSE and POPTS; the TCP checksum field holds the
     * pseudo-header sum without the length. Returns the four segments the wire got.
     */
    private static java.util.List<byte[]> sendSegmentation(Fixture f) {
        byte[] frame = io.nicup.mock.IpFrames.frame(Frames.PEER, Fixture.MAC, false, io.nicup.mock.IpFrames.TCP, 0, 2000,
                3, false);
        int pseudo = io.nicup.mock.intel.ChecksumOffload.sum(frame, 26, 34, io.nicup.mock.IpFrames.TCP);
        frame[50] = (byte) (pseudo >>> 8);
        frame[51] = (byte) pseudo;
        java.lang.foreign.MemorySegment ctx = f.drv.txDesc(f.drv.txTail);
        ctx.set(MiniDriver.LE32, 0, 14 | (14 + 10) << 8 | (14 + 20 - 1) << 16);   // IPCSS, IPCSO, IPCSE
        ctx.set(MiniDriver.LE32, 4, 34 | (34 + 16) << 8);                          // TUCSS, TUCSO, TUCSE 0
        ctx.set(MiniDriver.LE32, 8, 2000 | TxDescriptor.CMD_DEXT | TxDescriptor.TUCMD_TCP | TxDescriptor.TUCMD_IP
                | TxDescriptor.TUCMD_TSE);
        ctx.set(MiniDriver.LE32, 12, 54 << 8 | 536 << 16);                         // HDRLEN, MSS
        f.drv.txTail = (f.drv.txTail + 1) % f.drv.txCount;
        int slot = f.drv.putTx(frame, MiniDriver.CMD_DEFAULT | TxDescriptor.CMD_DEXT | TxDescriptor.DTYP_DATA
                | TxDescriptor.DCMD_TSE);
        f.drv.txDesc(slot).set(MiniDriver.LE32, 12, (io.nicup.mock.intel.ChecksumOffload.POPTS_IXSM
                | io.nicup.mock.intel.ChecksumOffload.POPTS_TXSM) << 8);
        f.drv.kickTx();
        return f.dev.wire().captured();
    }

    private static long tcpSequence(byte[] segment) {
        return java.nio.ByteBuffer.wrap(segment).getInt(38) & 0xFFFF_FFFFL;
    }

    @Test
    void tsoBadSeqShouldGiveEachLaterSegmentThePreviousSequenceNumber() {
        try (Fixture f = Fixture.open().up()) {
            java.util.List<byte[]> segments = sendSegmentation(f);
            assertThat(segments).hasSize(4).allMatch(io.nicup.mock.IpFrames::ipHeaderChecksumOk)
                    .allMatch(io.nicup.mock.IpFrames::l4ChecksumOk);
            assertThat(segments.stream().map(TransmitFaultTest::tcpSequence).toList()).as("without the fault")
                    .containsExactly(3000L, 3536L, 4072L, 4608L);
            assertThat(f.reg(Regs.TSCTC)).as("one segmentation").isEqualTo(1);
        }
        try (Fixture f = Fixture.open("&fault=tso-bad-seq").up()) {
            java.util.List<byte[]> segments = sendSegmentation(f);
            assertThat(segments).hasSize(4).allMatch(io.nicup.mock.IpFrames::l4ChecksumOk);
            assertThat(segments.stream().map(TransmitFaultTest::tcpSequence).toList())
                    .containsExactly(3000L, 3000L, 3536L, 4072L);
        }
    }

    @Test
    void ignorePauseShouldCountThePauseButKeepTransmitting() {
        try (Fixture f = Fixture.open("&fault=ignore-pause").up()) {
            PauseFrameTest.linkAtGigabit(f, Regs.Ctrl.RFCE);
            f.dev.wire().inject(PauseFrameTest.pause(0xFFFF));
            f.drv.send(Frames.frame(Frames.PEER, 100, 1));
            assertThat(f.dev.wire().captured()).hasSize(1);
            assertThat(f.model.transmitPaused()).isFalse();
            assertThat(f.reg(Regs.XOFFRXC)).isEqualTo(1);
        }
    }

    @Test
    void txToADeviceWithoutLinkShouldCompleteAndLoseTheFrame() {
        try (Fixture f = Fixture.open().up()) {
            f.dev.wire().setLink(false);
            int slot = f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.drv.txStatus(slot) & TxDescriptor.STA_DD).isEqualTo(TxDescriptor.STA_DD);
            assertThat(f.dev.wire().transmittedFrames()).isZero();
            assertThat(f.model.counter(E82574Model.Counter.TX_NO_LINK)).isEqualTo(1);
        }
    }
}
