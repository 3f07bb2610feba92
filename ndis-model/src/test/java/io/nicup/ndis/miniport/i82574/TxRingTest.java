package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.miniport.i82574.RecordingRegisterSpace.Write;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TxRingTest {

    private static final long TDT = Regs82574.TDT(0);

    private final Rig rig = Rig.of(64);
    private final long[] iovas = new long[256];
    private final int[] lengths = new int[256];
    private final int[] tags = new int[256];
    private final int[] done = new int[256];

    TxRingTest() {
        for (int i = 0; i < iovas.length; i++) {
            iovas[i] = rig.pool.iova(i % rig.pool.capacity());
            lengths[i] = 60 + i;
            tags[i] = 1000 + i;
        }
    }

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void aFrameInPiecesHasEopOnlyInItsLastDescriptor() {
        long[] at = {0x1000, 0x2000, 0x3000, 0x4000};
        int[] len = {14 | TxRing.MORE, 30 | TxRing.MORE, 16, 60};
        assertThat(rig.tx.submit(at, len, tags, 0, 4)).isEqualTo(4);
        for (int d = 0; d < 4; d++) {
            long off = (long) d * LegacyTxDescriptor.BYTES;
            int cmd = (byte) LegacyTxDescriptor.CMD.get(rig.tx.descriptors(), off) & 0xFF;
            assertThat((long) LegacyTxDescriptor.BUFFER_ADDR.get(rig.tx.descriptors(), off)).isEqualTo(at[d]);
            assertThat((short) LegacyTxDescriptor.LENGTH.get(rig.tx.descriptors(), off)).isEqualTo((short) (len[d] & 0xFFFF));
            assertThat(cmd).as("descriptor %d", d).isEqualTo(d == 0 || d == 1
                    ? LegacyTxDescriptor.CMD_IFCS | LegacyTxDescriptor.CMD_RS : TxRing.CMD);
        }
    }

    @Test
    void shouldProgramRingBaseLengthHeadAndTail() {
        RecordingRegisterSpace regs = new RecordingRegisterSpace();
        try (ArenaDmaRegion memory = new ArenaDmaRegion("tx-ring", 256 * 16, 128, 0x12_3456_7880L)) {
            TxRing ring = new TxRing(memory, regs, 1, 256);
            ring.writeRingRegisters();
            assertThat(regs.writes()).containsExactly(
                    new Write(Regs82574.TDBAL(1), 0x3456_7880),
                    new Write(Regs82574.TDBAH(1), 0x12),
                    new Write(Regs82574.TDLEN(1), 4096),
                    new Write(Regs82574.TDH(1), 0),
                    new Write(Regs82574.TDT(1), 0));
            assertThat(ring.ringBytes()).isEqualTo(4096);
            assertThat(ring.freeSlots()).isEqualTo(255);
        }
    }

    @Test
    void shouldFillLegacyDescriptorsWithEopIfcsRsAndClearStatus() {
        // A stale DD from an earlier lap must not survive the refill of the slot.
        LegacyTxDescriptor.STATUS.set(rig.tx.descriptors(), 16L, (byte) 0xFF);

        assertThat(rig.tx.submit(iovas, lengths, tags, 0, 3)).isEqualTo(3);

        for (int i = 0; i < 3; i++) {
            long d = (long) i * 16;
            assertThat((long) LegacyTxDescriptor.BUFFER_ADDR.get(rig.tx.descriptors(), d)).isEqualTo(iovas[i]);
            assertThat((short) LegacyTxDescriptor.LENGTH.get(rig.tx.descriptors(), d)).isEqualTo((short) lengths[i]);
            assertThat((byte) LegacyTxDescriptor.CMD.get(rig.tx.descriptors(), d)).isEqualTo((byte) 0x0B);
            assertThat((byte) LegacyTxDescriptor.CSO.get(rig.tx.descriptors(), d)).isZero();
            assertThat((int) LegacyTxDescriptor.UPPER_DATA.get(rig.tx.descriptors(), d)).isZero();
        }
    }

    @Test
    void shouldWriteTdtExactlyOncePerBatchWithTheNewTail() {
        rig.tx.submit(iovas, lengths, tags, 0, 5);
        rig.tx.submit(iovas, lengths, tags, 5, 1);
        rig.tx.submit(iovas, lengths, tags, 6, 32);

        assertThat(rig.regs.writes()).containsExactly(new Write(TDT, 5), new Write(TDT, 6), new Write(TDT, 38));
    }

    @Test
    void shouldRingTdtAsADoorbellAndProgramTheRingWithPlainRegisterWrites() {
        rig.tx.submit(iovas, lengths, tags, 0, 5);
        rig.tx.submit(iovas, lengths, tags, 5, 3);

        assertThat(rig.regs.doorbells()).as("TDT is a release store (docs/ndis-contract.md §19)")
                .containsExactly(TDT, TDT);
        RecordingRegisterSpace setup = new RecordingRegisterSpace();
        try (ArenaDmaRegion memory = new ArenaDmaRegion("tx-ring", 64 * 16, 128, 0x1000)) {
            new TxRing(memory, setup, 0, 64).writeRingRegisters();
        }
        assertThat(setup.writes()).hasSize(5);
        assertThat(setup.doorbells()).as("base, length, head and the first tail are control writes").isEmpty();
    }

    @Test
    void shouldWriteTheDoorbellOnlyAfterEveryDescriptorOfTheBatch() {
        // The device reads the descriptors at the moment of the TDT write (QEMU transmits inside it).
        rig.regs.onWrite((offset, value) -> {
            if (offset == TDT) {
                rig.device.transmit(Integer.MAX_VALUE);
            }
        });
        rig.tx.submit(iovas, lengths, tags, 0, 4);

        assertThat(rig.device.transmitted()).extracting(FakeDevice.TxFrame::length).containsExactly(60, 61, 62, 63);
        assertThat(rig.device.transmitted()).extracting(FakeDevice.TxFrame::iova)
                .containsExactly(iovas[0], iovas[1], iovas[2], iovas[3]);
    }

    @Test
    void shouldKeepOneSlotEmptyAndReturnZeroWithoutDoorbellWhenFull() {
        assertThat(rig.tx.submit(iovas, lengths, tags, 0, 100)).isEqualTo(63);
        assertThat(rig.tx.inFlight()).isEqualTo(63);
        assertThat(rig.tx.freeSlots()).isZero();
        assertThat(rig.regs.writesTo(TDT)).containsExactly(63);

        assertThat(rig.tx.submit(iovas, lengths, tags, 0, 1)).isZero();
        assertThat(rig.regs.writesTo(TDT)).containsExactly(63);
    }

    @Test
    void shouldCleanNothingUntilTheDeviceWritesDd() {
        rig.tx.submit(iovas, lengths, tags, 0, 10);
        assertThat(rig.tx.clean(done, 0, 256)).isZero();
        assertThat(rig.tx.inFlight()).isEqualTo(10);
    }

    @Test
    void shouldCleanCompletedFramesInOrderIncludingAPartiallyFinishedBatch() {
        rig.tx.submit(iovas, lengths, tags, 0, 40);
        rig.device.transmit(7);

        assertThat(rig.tx.clean(done, 0, 256)).isEqualTo(7);
        assertThat(done).startsWith(1000, 1001, 1002, 1003, 1004, 1005, 1006);
        assertThat(rig.tx.inFlight()).isEqualTo(33);

        rig.device.transmit(Integer.MAX_VALUE);
        assertThat(rig.tx.clean(done, 0, 256)).isEqualTo(33);
        assertThat(done[0]).isEqualTo(1007);
        assertThat(done[32]).isEqualTo(1039);
        assertThat(rig.tx.inFlight()).isZero();
        assertThat(rig.tx.cleanIndex()).isEqualTo(rig.tx.tail());
    }

    @Test
    void shouldCleanAtMostMax() {
        rig.tx.submit(iovas, lengths, tags, 0, 50);
        rig.device.transmit(Integer.MAX_VALUE);

        assertThat(rig.tx.clean(done, 3, 10)).isEqualTo(10);
        assertThat(done[3]).isEqualTo(1000);
        assertThat(done[12]).isEqualTo(1009);
        assertThat(rig.tx.inFlight()).isEqualTo(40);
    }

    @Test
    void shouldWrapTheTailBeforeCount() {
        for (int round = 0; round < 5; round++) {
            assertThat(rig.tx.submit(iovas, lengths, tags, 0, 50)).isEqualTo(50);
            rig.device.transmit(Integer.MAX_VALUE);
            assertThat(rig.tx.clean(done, 0, 256)).isEqualTo(50);
        }
        assertThat(rig.regs.writesTo(TDT)).containsExactly(50, 36, 22, 8, 58).allMatch(t -> t < 64);
        assertThat(rig.device.badTails()).isZero();
    }

    @Test
    void shouldDrainFramesThatWillNeverCompleteAndAllowReprogramming() {
        rig.tx.submit(iovas, lengths, tags, 0, 20);
        rig.device.transmit(5);
        assertThatThrownBy(rig.tx::writeRingRegisters).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inFlight=20");

        assertThat(rig.tx.drain(done, 0, 256)).isEqualTo(20);
        assertThat(done).startsWith(1000, 1001).contains(1019);
        assertThat(rig.tx.inFlight()).isZero();
        rig.tx.writeRingRegisters();
        assertThat(rig.tx.tail()).isZero();
        assertThat(rig.regs.value(TDT)).isZero();
    }

    @Test
    void shouldRejectBadLengthsWithFastPathChecks() {
        lengths[1] = 0;
        assertThatThrownBy(() -> rig.tx.submit(iovas, lengths, tags, 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length=0");
        lengths[1] = 70_000;
        assertThatThrownBy(() -> rig.tx.submit(iovas, lengths, tags, 0, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("length=70000");
        assertThat(rig.regs.writesTo(TDT)).isEmpty();
    }

    @Test
    void shouldRejectRingGeometryTheDeviceCannotUse() {
        RecordingRegisterSpace regs = new RecordingRegisterSpace();
        try (ArenaDmaRegion memory = new ArenaDmaRegion("tx-ring", 8192 * 16, 128, 0x1000_0000L);
                ArenaDmaRegion misaligned = new ArenaDmaRegion("tx-ring", 1024 * 16, 128, 0x1000_0040L)) {
            assertThatThrownBy(() -> new TxRing(memory, regs, 0, 32)).hasMessageContaining("count=32");
            assertThatThrownBy(() -> new TxRing(memory, regs, 0, 100)).hasMessageContaining("count=100");
            assertThatThrownBy(() -> new TxRing(memory, regs, 0, 8192)).hasMessageContaining("count=8192");
            assertThatThrownBy(() -> new TxRing(memory, regs, 2, 64)).hasMessageContaining("queue=2");
            assertThatThrownBy(() -> new TxRing(misaligned, regs, 0, 64)).hasMessageContaining("iova=0x10000040");
            try (ArenaDmaRegion small = new ArenaDmaRegion("tx-ring", 1024, 128, 0x1000_0000L)) {
                assertThatThrownBy(() -> new TxRing(small, regs, 0, 128)).hasMessageContaining("needed=2048");
            }
            assertThat(new TxRing(memory, regs, 1, 4096).count()).isEqualTo(4096);
        }
    }
}
