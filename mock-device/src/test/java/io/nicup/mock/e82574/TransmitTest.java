package io.nicup.mock.e82574;

import io.nicup.mock.DmaFault;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** Legacy TX ring to the wire (docs/hardware-reference.md B.4, B.7; QEMU e1000e_start_xmit). */
class TransmitTest {

    @Test
    void shouldPutTheFrameOnTheWireByteForByte() {
        try (Fixture f = Fixture.open().up()) {
            byte[] frame = Frames.frame(Frames.PEER, 75, 3);
            int slot = f.drv.send(frame);
            assertThat(f.dev.wire().captured()).singleElement().isEqualTo(frame);
            assertThat(f.reg(Regs.TDH0)).isEqualTo(1);
            assertThat(f.drv.txStatus(slot) & TxDescriptor.STA_DD).isEqualTo(TxDescriptor.STA_DD);
        }
    }

    @Test
    void shouldWriteBackDdOnlyWithRs() {
        try (Fixture f = Fixture.open().up()) {
            int slot = f.drv.putTx(Frames.frame(Frames.PEER, 64, 0), TxDescriptor.CMD_EOP | TxDescriptor.CMD_IFCS);
            f.drv.kickTx();
            assertThat(f.reg(Regs.TDH0)).isEqualTo(1); // [EMP] docs/hardware-reference.md B.7.1: TDH advanced
            assertThat(f.drv.txStatus(slot)).isZero(); // but no write-back
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(1);
        }
    }

    @Test
    void shouldWriteBackEveryDescriptorWithIvarBit31() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.write(Regs.IVAR, Regs.Ivar.TX_INT_EVERY_WB);
            int slot = f.drv.putTx(Frames.frame(Frames.PEER, 64, 0), TxDescriptor.CMD_EOP | TxDescriptor.CMD_IFCS);
            f.drv.kickTx();
            assertThat(f.drv.txStatus(slot) & TxDescriptor.STA_DD).isEqualTo(TxDescriptor.STA_DD);
        }
    }

    @Test
    void shouldGatherAFrameFromSeveralDescriptors() {
        try (Fixture f = Fixture.open().up()) {
            byte[] frame = Frames.frame(Frames.PEER, 3000, 7);
            f.drv.putTx(Arrays.copyOfRange(frame, 0, 14), TxDescriptor.CMD_RS);
            f.drv.putTx(Arrays.copyOfRange(frame, 14, 1000), TxDescriptor.CMD_RS);
            int last = f.drv.putTx(Arrays.copyOfRange(frame, 1000, 3000), MiniDriver.CMD_DEFAULT);
            f.drv.kickTx();
            assertThat(f.dev.wire().captured()).singleElement().isEqualTo(frame);
            assertThat(f.reg(Regs.TDH0)).isEqualTo(3);
            assertThat(f.drv.txStatus(last) & TxDescriptor.STA_DD).isEqualTo(TxDescriptor.STA_DD);
        }
    }

    @Test
    void shouldPadShortFramesTo60WithPsp() {
        try (Fixture f = Fixture.open().up()) {
            byte[] frame = Frames.frame(Frames.PEER, 42, 1);
            f.drv.send(frame);
            byte[] sent = f.dev.wire().pollCaptured();
            assertThat(sent).hasSize(60);
            assertThat(Arrays.copyOf(sent, 42)).isEqualTo(frame);
            assertThat(Arrays.copyOfRange(sent, 42, 60)).containsOnly(0);
        }
    }

    @Test
    void shouldSendShortFramesUnpaddedWithoutPsp() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupTx(8, Regs.Tctl.EN);
            byte[] frame = Frames.frame(Frames.PEER, 42, 1);
            f.drv.send(frame);
            assertThat(f.dev.wire().pollCaptured()).isEqualTo(frame);
        }
    }

    @Test
    void shouldCountFramesSentWithoutIfcs() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.putTx(Frames.frame(Frames.PEER, 64, 0), TxDescriptor.CMD_EOP | TxDescriptor.CMD_RS);
            f.drv.kickTx();
            assertThat(f.model.counter(E82574Model.Counter.TX_WITHOUT_IFCS)).isEqualTo(1);
        }
    }

    @Test
    void shouldNotTransmitWithoutTarcEnableUntilTdtIsWrittenAgain() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.write(Regs.TARC0, 0x3); // [EMP] docs/hardware-reference.md B.7.2
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.dev.wire().transmittedFrames()).isZero();
            assertThat(f.reg(Regs.TDH0)).isZero();
            f.drv.write(Regs.TARC0, 0x403);
            assertThat(f.dev.wire().transmittedFrames()).isZero();
            f.drv.kickTx();
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(1);
        }
    }

    @Test
    void shouldNotTransmitWithTctlDisabledUntilEnabled() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.write(Regs.TCTL, 0);
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.dev.wire().transmittedFrames()).isZero();
            f.drv.write(Regs.TCTL, MiniDriver.TCTL_DEFAULT); // QEMU e1000e_set_tctl starts the queue
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(1);
        }
    }

    @Test
    void shouldMakeNoDmaWithBusMasterOff() {
        try (Fixture f = Fixture.open().up()) {
            f.dev.setBusMaster(false);
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.dev.wire().transmittedFrames()).isZero();
            assertThat(f.reg(Regs.TDH0)).isZero();
            assertThat(f.model.counter(E82574Model.Counter.DMA_BLOCKED_BUS_MASTER)).isEqualTo(1);
            f.dev.setBusMaster(true);
            f.drv.kickTx();
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(1);
        }
    }

    @Test
    void shouldSkipContextDescriptors() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.putTx(new byte[0], TxDescriptor.CMD_DEXT | TxDescriptor.CMD_RS);
            byte[] frame = Frames.frame(Frames.PEER, 100, 9);
            f.drv.putTx(frame, MiniDriver.CMD_DEFAULT | TxDescriptor.CMD_DEXT | TxDescriptor.DTYP_DATA);
            f.drv.kickTx();
            assertThat(f.dev.wire().captured()).singleElement().isEqualTo(frame);
        }
    }

    @Test
    void shouldDropTheFrameAndRecordAnIommuFaultForAnUnmappedBuffer() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.putTx(Frames.frame(Frames.PEER, 64, 0), MiniDriver.CMD_DEFAULT);
            MemorySegment d = f.drv.txDesc(0);
            d.set(MiniDriver.LE64, 0, 0x7000_0000_0000L);
            f.drv.kickTx();
            assertThat(f.dev.wire().transmittedFrames()).isZero();
            assertThat(f.dev.dmaFaults()).extracting(DmaFault::iova, DmaFault::write, DmaFault::context)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0x7000_0000_0000L, false, "tx-buffer"));
            assertThat(f.reg(Regs.TDH0)).isEqualTo(1);
        }
    }

    @Test
    void shouldRaiseTxdwAndTxqeInLegacyMode() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.reg(Regs.ICR) & (Regs.Icr.TXDW | Regs.Icr.TXQE)).isEqualTo(Regs.Icr.TXDW | Regs.Icr.TXQE);
        }
    }

    @Test
    void shouldCountTransmitStatistics() {
        try (Fixture f = Fixture.open().up()) {
            f.drv.send(Frames.frame(Frames.BROADCAST, 75, 0));
            f.drv.send(Frames.frame(Frames.mac("01:00:5e:00:00:01"), 60, 0));
            f.drv.send(Frames.frame(Frames.PEER, 1514, 0));
            assertThat(f.reg(Regs.GPTC)).isEqualTo(3);
            assertThat(f.reg(Regs.TPT)).isEqualTo(3);
            assertThat(f.reg(Regs.BPTC)).isEqualTo(1);
            assertThat(f.reg(Regs.MPTC)).isEqualTo(1);
            assertThat(f.reg(Regs.GOTCL)).isEqualTo(79 + 64 + 1518); // each with its FCS ([EMP] docs/hardware-reference.md B.6: 75 -> 79)
            assertThat(f.reg(Regs.GOTCH)).isZero();
            assertThat(f.reg(Regs.PTC64)).isEqualTo(1);
            assertThat(f.reg(Regs.PTC127)).isEqualTo(1);
            assertThat(f.reg(Regs.PTC1522)).isEqualTo(1);
        }
    }

    @Test
    void shouldTransmitFromQueueOne() {
        try (Fixture f = Fixture.open().up()) {
            var ring = f.dev.dma().allocate("tx1", 128, 128);
            var buf = f.dev.dma().allocate("tx1-buf", 4096, 4096);
            byte[] frame = Frames.frame(Frames.PEER, 80, 5);
            MemorySegment.copy(frame, 0, buf.segment(), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, frame.length);
            ring.segment().set(MiniDriver.LE64, 0, buf.iova());
            ring.segment().set(MiniDriver.LE32, 8, MiniDriver.CMD_DEFAULT | frame.length);
            f.drv.write(Regs.tdbal(1), (int) ring.iova());
            f.drv.write(Regs.tdbah(1), (int) (ring.iova() >>> 32));
            f.drv.write(Regs.tdlen(1), 128);
            f.drv.write(Regs.tdt(1), 1);
            assertThat(f.dev.wire().pollCaptured()).isEqualTo(frame);
            assertThat(f.reg(Regs.tdh(1))).isEqualTo(1);
        }
    }
}
