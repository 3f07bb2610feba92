package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.miniport.i82574.RecordingRegisterSpace.Write;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RxRingTest {

    private static final long RDT = Regs82574.RDT(0);

    private final Rig rig = Rig.of(64);
    private final int[] buffers = new int[256];
    private final int[] lengths = new int[256];
    private final int[] flags = new int[256];

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void shouldProgramRingBaseLengthHeadAndTail() {
        RecordingRegisterSpace regs = new RecordingRegisterSpace();
        try (ArenaDmaRegion memory = new ArenaDmaRegion("rx-ring", 512 * 16, 128, 0x7_0000_0080L)) {
            RxRing ring = new RxRing(memory, regs, 0, 512, rig.pool);
            ring.writeRingRegisters();
            assertThat(regs.writes()).containsExactly(
                    new Write(Regs82574.RDBAL(0), 0x80),
                    new Write(Regs82574.RDBAH(0), 0x7),
                    new Write(Regs82574.RDLEN(0), 8192),
                    new Write(Regs82574.RDH(0), 0),
                    new Write(Regs82574.RDT(0), 0));
        }
    }

    @Test
    void shouldFillTheRingToCountMinusOneWithOneRdtWrite() {
        assertThat(rig.rx.refillFromPool(rig.rx.emptySlots())).isEqualTo(63);

        assertThat(rig.regs.writes()).containsExactly(new Write(RDT, 63));
        assertThat(rig.regs.doorbells()).containsExactly(RDT);
        assertThat(rig.rx.hardwareOwned()).isEqualTo(63);
        assertThat(rig.rx.emptySlots()).isZero();
        assertThat(rig.pool.available()).isEqualTo(128 - 63);
        for (int i = 0; i < 63; i++) {
            assertThat((long) LegacyRxDescriptor.BUFFER_ADDR.get(rig.rx.descriptors(), 16L * i))
                    .isEqualTo(rig.pool.iova(i));
        }
        assertThat(rig.rx.refillFromPool(10)).isZero();
        assertThat(rig.regs.writesTo(RDT)).hasSize(1);
    }

    @Test
    void shouldPollReceivedFramesInOrderAndHandTheirBuffersOver() {
        rig.rx.refillFromPool(63);
        rig.device.receive(0, 60);
        rig.device.receive(1, 1514);
        rig.device.receive(2, 2048);

        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 256)).isEqualTo(3);
        assertThat(buffers).startsWith(0, 1, 2);
        assertThat(lengths).startsWith(60, 1514, 2048);
        for (int i = 0; i < 3; i++) {
            assertThat(RxRing.isGood(flags[i])).isTrue();
            assertThat(RxRing.status(flags[i])).isEqualTo(LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP);
            assertThat(rig.pool.segment(buffers[i]).get(ValueLayout.JAVA_INT_UNALIGNED, 0)).isEqualTo(i);
        }
        assertThat(rig.rx.hardwareOwned()).isEqualTo(60);
        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 256)).isZero();
        assertThat(rig.regs.writesTo(RDT)).hasSize(1);
    }

    @Test
    void shouldRefillWithOneRdtWritePerBatchAndNeverGiveTheDeviceTheLastSlot() {
        rig.rx.refillFromPool(63);
        for (int i = 0; i < 10; i++) {
            rig.device.receive(i, 100);
        }
        int n = rig.rx.poll(buffers, lengths, flags, 0, 256);
        rig.regs.clearLog();

        assertThat(rig.rx.refill(buffers, 0, n)).isEqualTo(10);
        assertThat(rig.regs.writes()).containsExactly(new Write(RDT, 9));
        assertThat(rig.regs.doorbells()).as("RDT is a release store (docs/ndis-contract.md §19)").containsExactly(RDT);
        assertThat(rig.rx.refill(buffers, 0, 1)).isZero();
        assertThat(rig.regs.writes()).hasSize(1);
        assertThat(rig.device.rxAvailable()).isEqualTo(63);
    }

    @Test
    void shouldNotReadPastTheTailEvenWhenAStaleDdIsThere() {
        rig.rx.refillFromPool(5);
        // Slot 5 is empty (not given to the device) but carries a DD from an earlier lap.
        LegacyRxDescriptor.STATUS.set(rig.rx.descriptors(), 5L * 16, (byte) 0x03);
        for (int i = 0; i < 5; i++) {
            rig.device.receive(i, 64);
        }
        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 256)).isEqualTo(5);
        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 256)).isZero();
    }

    @Test
    void shouldClearStatusOfRefilledDescriptors() {
        rig.rx.refillFromPool(63);
        rig.device.receive(7, 64);
        int n = rig.rx.poll(buffers, lengths, flags, 0, 1);
        for (int lap = 0; lap < 63; lap++) {
            rig.device.receive(lap, 64);
            rig.rx.poll(buffers, lengths, flags, n, 1);
            rig.rx.refill(buffers, 0, 1);
            buffers[0] = buffers[n];
        }
        // Every slot has been recycled once; none may look received.
        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 256)).isZero();
    }

    @Test
    void shouldReportAFrameSpreadOverSeveralDescriptorsAsFragmentsAndRecover() {
        try (Rig small = new Rig(64, 64, 256, 128)) {
            small.rx.refillFromPool(63);
            small.device.receive(0, 60);
            small.device.receive(1, 600); // 256 + 256 + 88
            small.device.receive(2, 61);

            assertThat(small.rx.poll(buffers, lengths, flags, 0, 256)).isEqualTo(5);
            assertThat(RxRing.isGood(flags[0])).isTrue();
            for (int i = 1; i <= 3; i++) {
                assertThat(RxRing.faults(flags[i])).as("piece %d", i).isEqualTo(RxRing.FAULT_FRAGMENT);
            }
            assertThat(RxRing.status(flags[1]) & LegacyRxDescriptor.STA_EOP).isZero();
            assertThat(RxRing.status(flags[3]) & LegacyRxDescriptor.STA_EOP).isNotZero();
            assertThat(lengths).startsWith(60, 256, 256, 88, 61);
            assertThat(RxRing.isGood(flags[4])).isTrue();
        }
    }

    @Test
    void shouldReportAFragmentWhoseEndArrivesInALaterPoll() {
        try (Rig small = new Rig(64, 64, 256, 128)) {
            small.rx.refillFromPool(63);
            small.device.receive(1, 600);
            assertThat(small.rx.poll(buffers, lengths, flags, 0, 2)).isEqualTo(2);
            assertThat(small.rx.poll(buffers, lengths, flags, 2, 2)).isEqualTo(1);
            assertThat(RxRing.faults(flags[2])).isEqualTo(RxRing.FAULT_FRAGMENT);
            small.device.receive(2, 64);
            assertThat(small.rx.poll(buffers, lengths, flags, 0, 2)).isEqualTo(1);
            assertThat(RxRing.isGood(flags[0])).isTrue();
        }
    }

    @Test
    void shouldReportALengthLargerThanTheBufferWithoutFailing() {
        rig.rx.refillFromPool(63);
        rig.device.receiveRaw(9000, LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP, 0);
        rig.device.receiveRaw(0xFFFF, LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP, 0);
        rig.device.receive(3, 64);

        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 256)).isEqualTo(3);
        assertThat(RxRing.faults(flags[0])).isEqualTo(RxRing.FAULT_LENGTH);
        assertThat(lengths[0]).isEqualTo(9000);
        assertThat(lengths[1]).isEqualTo(0xFFFF);
        assertThat(RxRing.faults(flags[1])).isEqualTo(RxRing.FAULT_LENGTH);
        assertThat(RxRing.isGood(flags[2])).isTrue();
    }

    @Test
    void shouldReportFrameErrorsButNotChecksumVerdictsAsFaults() {
        rig.rx.refillFromPool(63);
        int dd = LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP;
        rig.device.receiveRaw(64, dd, LegacyRxDescriptor.ERR_CE);
        rig.device.receiveRaw(64, dd, LegacyRxDescriptor.ERR_IPE | LegacyRxDescriptor.ERR_TCPE);
        rig.device.receiveRaw(64, dd, LegacyRxDescriptor.ERR_RXE);

        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 256)).isEqualTo(3);
        assertThat(RxRing.faults(flags[0])).isEqualTo(RxRing.FAULT_ERRORS);
        assertThat(RxRing.errors(flags[0])).isEqualTo(LegacyRxDescriptor.ERR_CE);
        assertThat(RxRing.faults(flags[1])).isZero();
        assertThat(RxRing.errors(flags[1])).isEqualTo(0x60);
        assertThat(RxRing.faults(flags[2])).isEqualTo(RxRing.FAULT_ERRORS);
    }

    @Test
    void shouldDrainEveryBufferTheDeviceHoldsAndAllowReprogramming() {
        rig.rx.refillFromPool(63);
        rig.device.receive(0, 64);
        assertThat(rig.rx.poll(buffers, lengths, flags, 0, 1)).isEqualTo(1);
        assertThatThrownBy(rig.rx::writeRingRegisters).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("buffers=62");

        assertThat(rig.rx.drain(buffers, 1, 256)).isEqualTo(62);
        rig.pool.free(buffers, 0, 63);
        assertThat(rig.pool.available()).isEqualTo(128);
        rig.rx.writeRingRegisters();
        assertThat(rig.rx.refillFromPool(63)).isEqualTo(63);
    }

    @Test
    void shouldCatchABufferRefilledWhileStillInTheRingWithFastPathChecks() {
        rig.rx.refillFromPool(3);
        buffers[0] = 1;
        assertThatThrownBy(() -> rig.rx.refill(buffers, 0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("buffer=1");
    }

    @Test
    void shouldStopRefillingFromAnEmptyPool() {
        try (Rig tight = new Rig(64, 64, 2048, 10)) {
            assertThat(tight.rx.refillFromPool(63)).isEqualTo(10);
            assertThat(tight.regs.writesTo(RDT)).containsExactly(10);
            assertThat(tight.rx.refillFromPool(63)).isZero();
            assertThat(tight.regs.writesTo(RDT)).hasSize(1);
        }
    }
}
