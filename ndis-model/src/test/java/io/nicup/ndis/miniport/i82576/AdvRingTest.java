package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link AdvTxRing} and {@link AdvRxRing}: what they write into advanced descriptors and registers, and their invariants. */
class AdvRingTest {

    @Test
    void writingTheRingRegistersProgramsBaseLengthSrrctlAndEmptyHeadAndTail() {
        try (RingBench b = new RingBench(128, 256)) {
            assertThat(b.regs.read32(Regs82576.TDBAL(0))).isZero();
            assertThat(b.regs.read32(Regs82576.TDBAH(0))).isEqualTo(1);
            assertThat(b.regs.read32(Regs82576.TDLEN(0))).isEqualTo(128 * 16);
            assertThat(b.regs.read32(Regs82576.RDBAL(0))).isEqualTo(0x0010_0000);
            assertThat(b.regs.read32(Regs82576.RDLEN(0))).isEqualTo(128 * 16);
            assertThat(b.regs.read32(Regs82576.SRRCTL(0))).isEqualTo(Srrctl.DESCTYPE_ADV_ONEBUF | 2);
            assertThat(b.regs.read32(Regs82576.RDT(0))).isZero();
        }
    }

    @Test
    void aSubmittedFrameIsOneAdvancedDataDescriptorWithPaylenAndOneDoorbell() {
        try (RingBench b = new RingBench(64, 64)) {
            int n = b.tx.submit(new long[] {0x9_0000_0000L, 0x9_0000_1000L}, new int[] {60, 1514}, new int[] {7, 8}, 0, 2);
            assertThat(n).isEqualTo(2);
            assertThat(b.regs.writeCount(Regs82576.TDT(0))).isEqualTo(2);   // writeRingRegisters + one doorbell
            assertThat(b.regs.read32(Regs82576.TDT(0))).isEqualTo(2);
            assertThat(b.transmit(10)).isEqualTo(2);
            long[] f = b.transmitted.get(1);
            assertThat(f[0]).isEqualTo(0x9_0000_1000L);
            assertThat(f[1]).isEqualTo(1514);
            assertThat(f[2]).as("PAYLEN").isEqualTo(1514);
            int cmd = (int) f[3];
            assertThat(cmd & AdvTxDescriptor.DTYP_MASK).isEqualTo(AdvTxDescriptor.DTYP_DATA);
            assertThat(cmd & (AdvTxDescriptor.DCMD_DEXT | AdvTxDescriptor.DCMD_EOP | AdvTxDescriptor.DCMD_IFCS
                    | AdvTxDescriptor.DCMD_RS)).isEqualTo(AdvTxDescriptor.DCMD_DEXT | AdvTxDescriptor.DCMD_EOP
                    | AdvTxDescriptor.DCMD_IFCS | AdvTxDescriptor.DCMD_RS);
            int[] done = new int[4];
            assertThat(b.tx.clean(done, 0, 4)).isEqualTo(2);
            assertThat(done).startsWith(7, 8);
            assertThat(b.tx.inFlight()).isZero();
        }
    }

    @Test
    void aFrameInPiecesHasPaylenInItsFirstDescriptorAndEopInItsLast() {
        try (RingBench b = new RingBench(64, 64)) {
            long[] at = {0x9_0000_0000L, 0x9_0000_1000L, 0x9_0000_2000L};
            int n = b.tx.submit(at, new int[] {14 | AdvTxRing.MORE, 100 | AdvTxRing.MORE, 36}, new int[] {1, 2, 3}, 0, 3);
            assertThat(n).isEqualTo(3);
            assertThat(b.transmit(10)).isEqualTo(3);
            int[] paylen = {150, 0, 0};
            for (int d = 0; d < 3; d++) {
                long[] f = b.transmitted.get(d);
                assertThat(f[0]).isEqualTo(at[d]);
                assertThat(f[2]).as("PAYLEN of descriptor %d", d).isEqualTo(paylen[d]);
                int cmd = (int) f[3];
                assertThat(cmd & AdvTxDescriptor.DCMD_EOP).as("EOP of descriptor %d", d)
                        .isEqualTo(d == 2 ? AdvTxDescriptor.DCMD_EOP : 0);
                assertThat(cmd & (AdvTxDescriptor.DCMD_IFCS | AdvTxDescriptor.DCMD_RS))
                        .isEqualTo(AdvTxDescriptor.DCMD_IFCS | AdvTxDescriptor.DCMD_RS);
            }
        }
    }

    @Test
    void aFullTransmitRingTakesCountMinusOneFrames() {
        try (RingBench b = new RingBench(64, 64)) {
            long[] iovas = new long[100];
            int[] lengths = new int[100];
            int[] tags = new int[100];
            java.util.Arrays.fill(iovas, 0x9_0000_0000L);
            java.util.Arrays.fill(lengths, 64);
            assertThat(b.tx.submit(iovas, lengths, tags, 0, 100)).isEqualTo(63);
            assertThat(b.tx.submit(iovas, lengths, tags, 0, 1)).isZero();
        }
    }

    @Test
    void refillWritesPacketAddressesAndClearsStatusThenPollHandsFramesBackWithFlags() {
        try (RingBench b = new RingBench(64, 128)) {
            assertThat(b.rx.refillFromPool(b.rx.emptySlots())).isEqualTo(63);
            assertThat(b.regs.read32(Regs82576.RDT(0))).isEqualTo(63);
            assertThat(b.rxMemory.segment.get(RingBench.LE64, 0)).isEqualTo(b.pool.iova(0));
            assertThat(b.receive(100, (byte) 1, 0)).isTrue();
            assertThat(b.receive(3000, (byte) 2, 0)).isTrue();                // more than the buffer
            assertThat(b.receive(100, (byte) 3, AdvRxDescriptor.ERR_RXE)).isTrue();
            int[] bufs = new int[8];
            int[] lens = new int[8];
            int[] flags = new int[8];
            assertThat(b.rx.poll(bufs, lens, flags, 0, 8)).isEqualTo(3);
            assertThat(lens).startsWith(100, 3000, 100);
            assertThat(AdvRxRing.isGood(flags[0])).isTrue();
            assertThat(AdvRxRing.faults(flags[1])).isEqualTo(AdvRxRing.FAULT_LENGTH);
            assertThat(AdvRxRing.faults(flags[2])).isEqualTo(AdvRxRing.FAULT_ERRORS);
            assertThat(AdvRxRing.errors(flags[2])).isEqualTo(0x80);
            assertThat(b.pool.segment(bufs[0]).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 99)).isEqualTo((byte) 1);
            assertThat(b.rx.refill(bufs, 0, 3)).isEqualTo(3);
            // refilled descriptors carry a fresh address and hdr_addr 0: no stale DD
            long d = (long) ((b.rx.tail() - 1) & 63) * 16;
            assertThat(b.rxMemory.segment.get(RingBench.LE32, d + 8)).isZero();
        }
    }

    @Test
    void aRingOfTheWrongSizeIsRejected() {
        try (RingBench b = new RingBench(64, 64)) {
            assertThatThrownBy(() -> new AdvTxRing(b.txMemory, b.regs, 0, 100))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
            assertThatThrownBy(() -> new AdvTxRing(b.txMemory, b.regs, 16, 64))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue=16");
        }
    }

    @SeededTest(cases = 40)
    void everyTransmittedFrameCompletesOnceInOrder(Gen gen) {
        int count = gen.oneOf(64, 128, 256, 512);
        int maxBatch = gen.between(1, 200);
        Random random = gen.random();
        try (RingBench b = new RingBench(count, 64)) {
            int frames = 3_000;
            long[] iovas = new long[maxBatch];
            int[] lengths = new int[maxBatch];
            int[] tags = new int[maxBatch];
            int[] done = new int[count];
            int next = 0;
            int expected = 0;
            while (expected < frames) {
                int offered = Math.min(1 + random.nextInt(maxBatch), frames - next);
                for (int i = 0; i < offered; i++) {
                    iovas[i] = 0x9_0000_0000L + 64L * (next + i);
                    lengths[i] = 60 + (next + i) % 1455;
                    tags[i] = next + i;
                }
                int before = b.tx.inFlight();
                int accepted = b.tx.submit(iovas, lengths, tags, 0, offered);
                assertThat(accepted).isEqualTo(Math.min(offered, count - 1 - before));
                assertThat(b.regs.read32(Regs82576.TDT(0))).isEqualTo(b.tx.tail()).isLessThan(count);
                next += accepted;
                b.transmit(random.nextInt(2 * maxBatch + 1));
                int n = b.tx.clean(done, 0, 1 + random.nextInt(count));
                for (int i = 0; i < n; i++) {
                    assertThat(done[i]).isEqualTo(expected++);
                }
            }
            for (int i = 0; i < b.transmitted.size(); i++) {
                long[] f = b.transmitted.get(i);
                assertThat(f[0]).isEqualTo(0x9_0000_0000L + 64L * i);
                assertThat(f[1]).isEqualTo(f[2]).isEqualTo(60 + i % 1455);
            }
        }
    }

    @SeededTest(cases = 40)
    void everyReceivedFrameIsPolledOnceInOrderAndNoBufferIsLost(Gen gen) {
        int count = gen.oneOf(64, 128, 256, 512);
        int maxBurst = gen.between(1, 100);
        Random random = gen.random();
        try (RingBench b = new RingBench(count, count + 32)) {
            b.rx.refillFromPool(b.rx.emptySlots());
            int[] bufs = new int[count];
            int[] lens = new int[count];
            int[] flags = new int[count];
            int sent = 0;
            int polled = 0;
            while (polled < 2_000) {
                int burst = random.nextInt(maxBurst + 1);
                for (int i = 0; i < burst && b.receive(60 + sent % 1400, (byte) sent, 0); i++) {
                    sent++;
                }
                int n = b.rx.poll(bufs, lens, flags, 0, 1 + random.nextInt(count));
                for (int i = 0; i < n; i++) {
                    assertThat(lens[i]).isEqualTo(60 + polled % 1400);
                    assertThat(AdvRxRing.isGood(flags[i])).isTrue();
                    polled++;
                }
                assertThat(b.rx.refill(bufs, 0, n)).isEqualTo(n);
                assertThat(b.rx.hardwareOwned() + b.pool.available()).as("no buffer lost").isEqualTo(count + 32);
                assertThat(b.regs.read32(Regs82576.RDT(0))).isEqualTo(b.rx.tail()).isLessThan(count);
            }
            int n;
            while ((n = b.rx.poll(bufs, lens, flags, 0, count)) > 0) {
                polled += n;
                b.rx.refill(bufs, 0, n);
            }
            assertThat(polled).isEqualTo(sent);
        }
    }
}
