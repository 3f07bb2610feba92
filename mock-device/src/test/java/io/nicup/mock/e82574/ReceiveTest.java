package io.nicup.mock.e82574;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.ValueLayout;
import java.util.Arrays;

import static io.nicup.mock.e82574.Regs.Rctl.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Wire to RX ring: filters, sizes, CRC, ring full (docs/hardware-reference.md B.3, B.4, B.6, B.7). */
class ReceiveTest {

    static final int BASE = EN | SECRC;

    @Test
    void shouldDeliverAFrameForOurAddressWithDdAndEop() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            byte[] frame = Frames.frame(Fixture.MAC, 75, 1);
            f.dev.wire().inject(frame);
            assertThat(f.drv.rxStatus(0)).isEqualTo(RxDescriptor.STA_DD | RxDescriptor.STA_EOP);
            assertThat(f.drv.rxLength(0)).isEqualTo(75);
            assertThat(f.drv.receive()).isEqualTo(frame);
            assertThat(f.reg(Regs.RDH0)).isEqualTo(1);
        }
    }

    @Test
    void shouldDropUnicastForOtherAddresses() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.dev.wire().inject(Frames.frame(Frames.mac("02:00:00:00:00:02"), 64, 0));
            assertThat(f.drv.receive()).isNull();
            assertThat(f.model.counter(E82574Model.Counter.RX_FILTERED)).isEqualTo(1);
        }
    }

    @Test
    void shouldMatchAnyValidReceiveAddressEntry() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            byte[] other = Frames.mac("02:00:00:00:00:0f");
            f.drv.setRar(15, other);
            f.dev.wire().inject(Frames.frame(other, 64, 0));
            assertThat(f.drv.receive()).isNotNull();
            f.drv.write(Regs.rah(15), f.reg(Regs.rah(15)) & ~Regs.RAH_AV);
            f.dev.wire().inject(Frames.frame(other, 64, 0));
            assertThat(f.drv.receive()).isNull();
        }
    }

    @Test
    void shouldAcceptBroadcastOnlyWithBam() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.dev.wire().inject(Frames.frame(Frames.BROADCAST, 64, 0));
            assertThat(f.drv.receive()).isNull();
            f.drv.write(Regs.RCTL, BASE | BAM);
            f.dev.wire().inject(Frames.frame(Frames.BROADCAST, 64, 0));
            assertThat(f.drv.receive()).isNotNull();
        }
    }

    @Test
    void shouldAcceptEverythingInPromiscuousModes() {
        try (Fixture f = Fixture.open().up(8, 8, BASE | UPE | MPE)) {
            f.dev.wire().inject(Frames.frame(Frames.mac("02:12:34:56:78:9a"), 64, 0));
            assertThat(f.drv.receive()).isNotNull();
            f.dev.wire().inject(Frames.frame(Frames.mac("01:00:5e:7f:00:01"), 64, 0));
            assertThat(f.drv.receive()).isNotNull();
        }
    }

    @ParameterizedTest(name = "MO={0}")
    @ValueSource(ints = {0, 1, 2, 3})
    void shouldFilterMulticastByTheMtaHashAsLinuxComputesIt(int mo) {
        try (Fixture f = Fixture.open().up(8, 8, BASE | mo << MO_SHIFT)) {
            byte[] group = Frames.mac("01:00:5e:12:a7:c3");
            byte[] other = Frames.mac("01:00:5e:12:a7:c4");
            int hash = Frames.linuxMtaHash(group, mo);
            assertThat(Frames.linuxMtaHash(other, mo)).isNotEqualTo(hash);
            f.dev.wire().inject(Frames.frame(group, 64, 0));
            assertThat(f.drv.receive()).isNull();
            // e1000_update_mc_addr_list: MTA[hash >> 5] |= 1 << (hash & 31)
            f.drv.write(Regs.mta(hash >>> 5), 1 << (hash & 31));
            f.dev.wire().inject(Frames.frame(group, 64, 0));
            assertThat(f.drv.receive()).isNotNull();
            f.dev.wire().inject(Frames.frame(other, 64, 0));
            assertThat(f.drv.receive()).isNull();
        }
    }

    @Test
    void shouldAppendTheFcsWhenNotStripping() {
        try (Fixture f = Fixture.open().up(8, 8, EN)) {
            byte[] frame = Frames.frame(Fixture.MAC, 100, 4);
            f.dev.wire().inject(frame);
            assertThat(f.drv.rxLength(0)).isEqualTo(104);
            byte[] got = f.drv.receive();
            assertThat(Arrays.copyOf(got, 100)).isEqualTo(frame);
            assertThat(Arrays.copyOfRange(got, 100, 104)).isEqualTo(Frames.fcs(frame));
        }
    }

    @ParameterizedTest(name = "RCTL bits 0x{0} -> {1} bytes")
    @CsvSource({"0, 2048", "10000, 1024", "20000, 512", "30000, 256", "2010000, 16384", "2020000, 8192",
        "2030000, 4096"})
    void shouldSpanDescriptorsOfTheConfiguredBufferSize(String bits, int size) {
        int rctl = BASE | LPE | Integer.parseInt(bits, 16);
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupRx(16, rctl, size);
            int length = Math.min(3 * size - 10, 9000);
            int descriptors = (length + size - 1) / size;
            byte[] frame = Frames.frame(Fixture.MAC, length, 2);
            f.dev.wire().inject(frame);
            for (int i = 0; i < descriptors; i++) {
                int expectedStatus = RxDescriptor.STA_DD | (i == descriptors - 1 ? RxDescriptor.STA_EOP : 0);
                assertThat(f.drv.rxStatus(i)).as("status of descriptor %d", i).isEqualTo(expectedStatus);
                assertThat(f.drv.rxLength(i)).isEqualTo(Math.min(size, length - i * size));
            }
            assertThat(f.drv.receive()).isEqualTo(frame);
            assertThat(f.reg(Regs.RDH0)).isEqualTo(descriptors);
        }
    }

    @Test
    void shouldTakeBufferSizeFromFlxbuf() {
        try (Fixture f = Fixture.open()) {
            f.drv.reset();
            f.dev.setBusMaster(true);
            f.drv.setupRx(8, BASE | 3 << FLXBUF_SHIFT, 3072);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 1500, 0));
            assertThat(f.drv.rxStatus(0)).isEqualTo(RxDescriptor.STA_DD | RxDescriptor.STA_EOP);
        }
    }

    @Test
    void shouldDropJumboFramesWithoutLpeAndCountRoc() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 1519, 0));
            assertThat(f.drv.receive()).isNull();
            assertThat(f.reg(Regs.ROC)).isEqualTo(1);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 1518, 0)); // 1522 with FCS: the largest standard frame
            assertThat(f.drv.receive()).hasSize(1518);
            f.drv.write(Regs.RCTL, BASE | LPE);
            byte[] jumbo = Frames.frame(Fixture.MAC, 9000, 0);
            f.dev.wire().inject(jumbo);
            assertThat(f.drv.receive()).isEqualTo(jumbo);
        }
    }

    @Test
    void shouldPadRuntsTo60AndCountRuc() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            byte[] runt = Frames.frame(Fixture.MAC, 42, 0);
            f.dev.wire().inject(runt);
            byte[] got = f.drv.receive();
            assertThat(got).hasSize(60);
            assertThat(Arrays.copyOf(got, 42)).isEqualTo(runt);
            assertThat(f.reg(Regs.RUC)).isEqualTo(1);
        }
    }

    @Test
    void shouldHoldFramesWhileTheRingIsFullAndDeliverThemInOrderOnRdt() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) { // 7 descriptors owned by the device
            f.drv.write(Regs.IMS, Regs.Icr.RXO);
            for (int i = 0; i < 9; i++) {
                f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, i));
            }
            assertThat(f.reg(Regs.RDH0)).isEqualTo(7);
            assertThat(f.model.rxFifoFrames()).isEqualTo(2);
            assertThat(f.reg(Regs.RNBC)).isEqualTo(2);
            assertThat(f.reg(Regs.MPC)).isZero();
            assertThat(f.reg(Regs.ICR) & Regs.Icr.RXO).isNotZero();
            for (int i = 0; i < 9; i++) {
                byte[] got = f.drv.receive(); // gives the descriptor back: the held frames flow in
                assertThat(got).as("frame %d", i).isEqualTo(Frames.frame(Fixture.MAC, 64, i));
            }
            assertThat(f.model.rxFifoFrames()).isZero();
            assertThat(f.drv.receive()).isNull();
        }
    }

    @Test
    void shouldCountMissedFramesWhenTheFifoOverflows() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            long capacity = f.model.rxFifoCapacity();
            assertThat(capacity).isEqualTo(20 * 1024); // PBA.RXA = 20 KiB at power-on
            int frames = (int) (capacity / 1000);
            for (int i = 0; i < 7 + frames + 3; i++) {
                f.dev.wire().inject(Frames.frame(Fixture.MAC, 1000, i));
            }
            assertThat(f.model.rxFifoFrames()).isEqualTo(frames);
            assertThat(f.reg(Regs.MPC)).isEqualTo(3);
            assertThat(f.reg(Regs.RNBC)).isEqualTo(frames + 3);
            assertThat(f.model.counter(E82574Model.Counter.RX_MISSED)).isEqualTo(3);
        }
    }

    @Test
    void shouldIgnoreRingLengthBitsBelow128Bytes() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.drv.write(Regs.RDLEN0, 4 * 16); // RDLEN keeps bits 19:7 only: a 4-descriptor ring is length 0
            assertThat(f.reg(Regs.RDLEN0)).isZero();
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.drv.rxStatus(0)).isZero();
            assertThat(f.model.rxFifoFrames()).isEqualTo(1);
        }
    }

    @Test
    void shouldTreatHeadEqualTailAsEmpty() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.drv.write(Regs.RDT0, 0); // head 0 == tail 0: the device owns nothing
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.drv.rxStatus(0)).isZero();
            assertThat(f.model.rxFifoFrames()).isEqualTo(1);
            f.drv.write(Regs.RDT0, 1);
            assertThat(f.drv.rxStatus(0)).isEqualTo(RxDescriptor.STA_DD | RxDescriptor.STA_EOP);
        }
    }

    @Test
    void shouldSkipDescriptorsWithANullBuffer() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.drv.rxDesc(0).set(MiniDriver.LE64, 0, 0L);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.drv.rxStatus(0)).isEqualTo(RxDescriptor.STA_DD);
            assertThat(f.drv.rxLength(0)).isZero();
            assertThat(f.drv.rxStatus(1)).isEqualTo(RxDescriptor.STA_DD | RxDescriptor.STA_EOP);
        }
    }

    @Test
    void shouldHoldFramesWhileBusMasterIsOffAndDeliverWhenItComesOn() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.dev.setBusMaster(false);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.drv.rxStatus(0)).isZero();
            f.dev.setBusMaster(true); // QEMU e1000e_write_config -> start_recv
            assertThat(f.drv.rxStatus(0)).isNotZero();
        }
    }

    @Test
    void shouldLoseFramesWhileReceiveIsDisabled() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.drv.write(Regs.RCTL, 0);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            f.drv.write(Regs.RCTL, BASE);
            assertThat(f.drv.rxStatus(0)).isZero();
            assertThat(f.model.counter(E82574Model.Counter.RX_DISABLED)).isEqualTo(1);
        }
    }

    @Test
    void shouldWriteExtendedDescriptorsWithExten() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.drv.write(Regs.RFCTL, Regs.RFCTL_EXTEN);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 90, 0));
            var d = f.drv.rxDesc(0);
            assertThat(d.get(MiniDriver.LE32, RxDescriptor.EXT_STATUS_ERROR))
                    .isEqualTo(RxDescriptor.STA_DD | RxDescriptor.STA_EOP);
            assertThat(d.get(MiniDriver.LE16, RxDescriptor.EXT_LENGTH)).isEqualTo((short) 90);
            assertThat(d.get(MiniDriver.LE64, 0)).isZero(); // the buffer address is overwritten
            assertThat(f.drv.rxData(0, 90)).isEqualTo(Frames.frame(Fixture.MAC, 90, 0));
        }
    }

    @Test
    void shouldRaiseRxt0AndRxdmt0AtTheThreshold() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) { // RDMTS half: threshold 4 free of 8
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.reg(Regs.ICR) & (Regs.Icr.RXT0 | Regs.Icr.RXDMT0)).isEqualTo(Regs.Icr.RXT0);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0)); // 7 - 3 = 4 free
            assertThat(f.reg(Regs.ICR) & (Regs.Icr.RXT0 | Regs.Icr.RXDMT0)).isEqualTo(Regs.Icr.RXT0 | Regs.Icr.RXDMT0);
        }
    }

    @Test
    void shouldCountReceiveStatistics() {
        try (Fixture f = Fixture.open().up(8, 8, BASE | BAM | MPE)) {
            f.dev.wire().inject(Frames.frame(Frames.BROADCAST, 75, 0));
            f.dev.wire().inject(Frames.frame(Frames.mac("01:00:5e:00:00:01"), 60, 0));
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 1000, 0));
            assertThat(f.reg(Regs.GPRC)).isEqualTo(3);
            assertThat(f.reg(Regs.TPR)).isEqualTo(3);
            assertThat(f.reg(Regs.BPRC)).isEqualTo(1);
            assertThat(f.reg(Regs.MPRC)).isEqualTo(1);
            assertThat(f.reg(Regs.PRC64)).isEqualTo(1);
            assertThat(f.reg(Regs.PRC127)).isEqualTo(1);
            assertThat(f.reg(Regs.PRC1023)).isEqualTo(1);
            assertThat(f.reg(Regs.GORCL)).isEqualTo(79 + 64 + 1004);
            assertThat(f.reg(Regs.TORL)).isEqualTo(79 + 64 + 1004);
            assertThat(f.dev.bar(0).read8(Regs.RCTL)).isEqualTo((byte) (BASE | BAM | MPE));
        }
    }

    @Test
    void shouldDeliverAFrameScheduledOnTheWireWhenVirtualTimeReachesIt() {
        try (Fixture f = Fixture.open().up(8, 8, BASE)) {
            f.drv.write(Regs.IMS, Regs.Icr.RXT0);
            var irq = f.dev.interrupts().enable(io.nicup.vfio.InterruptMode.MSI, 1);
            long t0 = f.dev.clock().nanoTime();
            f.dev.wire().injectAfter(3_000_000, Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.drv.receive()).isNull();
            assertThat(irq.await(10_000_000)).isEqualTo(1);
            assertThat(f.dev.clock().nanoTime() - t0).isEqualTo(3_000_000);
            assertThat(f.drv.receive()).isEqualTo(Frames.frame(Fixture.MAC, 64, 0));
            irq.close();
        }
    }

    @Test
    void shouldAcceptAFrameGivenAsAMemorySegment() {
        try (Fixture f = Fixture.open().up(8, 8, BASE);
                var arena = java.lang.foreign.Arena.ofConfined()) {
            byte[] frame = Frames.frame(Fixture.MAC, 64, 3);
            var seg = arena.allocate(frame.length);
            seg.copyFrom(java.lang.foreign.MemorySegment.ofArray(frame));
            f.dev.wire().inject(seg);
            assertThat(f.drv.receive()).isEqualTo(frame);
            assertThat(seg.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo(frame[0]);
        }
    }
}
