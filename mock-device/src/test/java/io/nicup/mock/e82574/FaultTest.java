package io.nicup.mock.e82574;

import io.nicup.mock.intel.Mdic;
import io.nicup.mock.DmaFault;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.RegisterTimeoutException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each injectable fault, seen through the driver's eyes. */
class FaultTest {

    @Test
    void resetStuckShouldKeepRstSetForever() {
        try (Fixture f = Fixture.open("&fault=reset-stuck")) {
            assertThatThrownBy(f.drv::reset).isInstanceOfSatisfying(RegisterTimeoutException.class,
                    e -> assertThat(e.register()).isEqualTo("CTRL.RST"));
            f.dev.clock().advance(10_000_000_000L);
            assertThat(f.reg(Regs.CTRL) & Regs.Ctrl.RST).isNotZero();
            f.drv.write(Regs.IMS, 4);
            assertThat(f.reg(Regs.IMS)).isZero();
        }
    }

    @Test
    void nvmAutoreadStuckShouldNeverSetAutoRd() {
        try (Fixture f = Fixture.open("&fault=nvm-autoread-stuck")) {
            assertThat(f.reg(Regs.EECD)).isEqualTo(Regs.Eecd.PRES);
            assertThatThrownBy(f.drv::reset).isInstanceOfSatisfying(RegisterTimeoutException.class,
                    e -> assertThat(e.register()).isEqualTo("EECD.AUTO_RD"));
            assertThat(f.reg(Regs.CTRL) & Regs.Ctrl.RST).isZero(); // the reset itself finished
        }
    }

    @Test
    void nvmChecksumShouldMissBaba() {
        try (Fixture f = Fixture.open("&fault=nvm-checksum")) {
            int sum = 0;
            for (int i = 0; i <= Nvm.CHECKSUM_WORD; i++) {
                sum += f.drv.readNvm(i);
            }
            assertThat(sum & 0xFFFF).isNotEqualTo(0xBABA);
            assertThat(f.drv.macFromNvm()).isEqualTo(Fixture.MAC); // the MAC itself is intact
        }
    }

    @Test
    void eerdStuckShouldNeverSetDone() {
        try (Fixture f = Fixture.open("&fault=eerd-stuck")) {
            assertThatThrownBy(() -> f.drv.readNvm(0)).isInstanceOf(RegisterTimeoutException.class)
                    .hasMessageContaining("EERD.DONE");
        }
    }

    @Test
    void mdicErrorShouldFailEveryPhyAccess() {
        try (Fixture f = Fixture.open("&fault=mdic-error")) {
            int v = f.drv.mdic(1, Phy.ID1, Mdic.OP_READ, 0);
            assertThat(v & (Mdic.ERROR | Mdic.READY)).isEqualTo(Mdic.ERROR | Mdic.READY);
            assertThatThrownBy(() -> f.drv.writePhy(Phy.BMCR, 0x1340)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void mdicStuckShouldNeverSetReady() {
        try (Fixture f = Fixture.open("&fault=mdic-stuck")) {
            assertThatThrownBy(() -> f.drv.readPhy(Phy.ID1)).isInstanceOf(RegisterTimeoutException.class)
                    .hasMessageContaining("MDIC.READY");
        }
    }

    @Test
    void linkDownShouldNeverBringTheLinkUp() {
        try (Fixture f = Fixture.open("&fault=link-down")) {
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isZero();
            f.drv.reset();
            f.drv.writePhy(Phy.BMCR, 0x1340);
            f.dev.wire().setLink(false);
            f.dev.wire().setLink(true);
            f.dev.clock().advance(10 * Timing.AUTONEG_NANOS);
            assertThat(f.reg(Regs.STATUS) & Regs.Status.LU).isZero();
            assertThat(f.drv.readPhy(Phy.BMSR) & Phy.BMSR_LSTATUS).isZero();
        }
    }

    @Test
    void linkFlapShouldDropTheLinkAfterNFramesAndBringItBack() {
        try (Fixture f = Fixture.open("&fault=link-flap&after=5").up()) {
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            for (int i = 0; i < 4; i++) {
                f.drv.send(Frames.frame(Frames.PEER, 64, i));
            }
            assertThat(f.model.linkUp()).isTrue();
            assertThat(irq.poll()).isZero();
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0)); // the fifth frame
            assertThat(f.model.linkUp()).isFalse();
            assertThat(irq.poll()).isEqualTo(1);
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
            f.drv.send(Frames.frame(Frames.PEER, 64, 99));
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(4); // lost while down
            long t0 = f.dev.clock().nanoTime();
            assertThat(irq.await(2_000_000_000L)).isEqualTo(1);
            assertThat(f.dev.clock().nanoTime() - t0).isEqualTo(Timing.LINK_FLAP_DOWN_NANOS + Timing.AUTONEG_NANOS);
            assertThat(f.model.linkUp()).isTrue();
            assertThat(f.model.counter(E82574Model.Counter.LINK_FLAPS)).isEqualTo(1);
            irq.close();
        }
    }

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
    void allOnesShouldMakeEveryReadAllOnesAtOnce() {
        try (Fixture f = Fixture.open("&fault=all-ones")) {
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0xFFFFFFFF);
            assertThat(f.dev.bar(0).read64(Regs.CTRL)).isEqualTo(-1L);
            assertThat(f.dev.bar(0).read16(Regs.CTRL)).isEqualTo((short) -1);
            assertThat(f.dev.config().read32(0)).isEqualTo(0xFFFFFFFF);
            assertThat(f.dev.config().read8(0x34)).isEqualTo(0xFF);
            assertThat(f.dev.identity().vendorId()).isEqualTo(0xFFFF);
            assertThatThrownBy(f.drv::reset).isInstanceOf(RegisterTimeoutException.class);
        }
    }

    @Test
    void allOnesAfterNFramesShouldBeASurpriseRemovalMidTraffic() {
        try (Fixture f = Fixture.open("&fault=all-ones&after=10").up()) {
            for (int i = 0; i < 9; i++) {
                f.drv.send(Frames.frame(Frames.PEER, 64, i));
            }
            assertThat(f.reg(Regs.STATUS)).isNotEqualTo(0xFFFFFFFF);
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 64, 0));
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0xFFFFFFFF);
            assertThat(f.reg(Regs.TDH0)).isEqualTo(0xFFFFFFFF);
            f.drv.send(Frames.frame(Frames.PEER, 64, 0));
            assertThat(f.dev.wire().transmittedFrames()).isEqualTo(9);
            assertThat(f.model.removed()).isTrue();
        }
    }

    @Test
    void irqStormShouldKeepFiringAnInterruptThatNeverClears() {
        try (Fixture f = Fixture.open("&fault=irq-storm")) {
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSI, 1);
            for (int i = 0; i < 5; i++) {
                assertThat(irq.await(1_000_000)).isEqualTo(1);
                assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).isNotZero();
                assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).as("the cause never clears").isNotZero();
            }
            long before = irq.events(0);
            f.dev.clock().advance(10 * Timing.IRQ_STORM_PERIOD_NANOS);
            assertThat(irq.events(0) - before).isEqualTo(10);
            irq.close();
        }
    }

    @Test
    void irqStormShouldKeepFiringTheOtherVectorInMsixModeWhateverTheDriverClears() {
        try (Fixture f = Fixture.open("&fault=irq-storm")) {
            f.drv.write(Regs.IVAR, (Regs.Ivar.VALID | 2) << Regs.Ivar.OTHER_SHIFT);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.MSIX, 5);
            f.drv.write(Regs.IMS, Regs.Icr.LSC | Regs.Icr.OTHER);
            long before = irq.events(2);
            for (int i = 0; i < 10; i++) {
                f.drv.write(Regs.ICR, Regs.Icr.LSC | Regs.Icr.OTHER);   // what an ISR does: write one to clear
                f.dev.clock().advance(Timing.IRQ_STORM_PERIOD_NANOS);
            }
            assertThat(irq.events(2) - before).as("one OTHER interrupt per storm period").isGreaterThanOrEqualTo(10);
            assertThat(f.reg(Regs.ICR) & Regs.Icr.LSC).as("the cause never clears").isNotZero();
            irq.close();
        }
    }

    @Test
    void irqStormShouldRefireIntxOnEveryAcknowledge() {
        try (Fixture f = Fixture.open("&fault=irq-storm")) {
            f.drv.write(Regs.IMS, Regs.Icr.LSC);
            InterruptSet irq = f.dev.interrupts().enable(InterruptMode.INTX, 1);
            for (int i = 0; i < 3; i++) {
                assertThat(irq.poll()).isEqualTo(1);
                f.reg(Regs.ICR);
                irq.acknowledge(0);
            }
            irq.close();
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

    @Test
    void registersAllOnesShouldAnswerAllOnesFromReadNPlusOneWhileConfigSpaceStays() {
        try (Fixture f = Fixture.open("&fault=registers-all-ones@3")) {
            long before = f.model.registerReads();
            assertThat(before).as("the fixture read nothing yet").isZero();
            for (int i = 0; i < 3; i++) {
                assertThat(f.reg(Regs.STATUS)).isNotEqualTo(0xFFFFFFFF);
            }
            assertThat(f.reg(Regs.STATUS)).isEqualTo(0xFFFFFFFF);
            assertThat(f.reg(Regs.CTRL)).isEqualTo(0xFFFFFFFF);
            assertThat(f.dev.identity().vendorId()).as("not a surprise removal").isEqualTo(0x8086);
            assertThat(f.model.removed()).isFalse();
        }
    }

    @Test
    void registersRandomShouldAnswerTheSameRandomValuesOnEveryRun() {
        int[] first = new int[8];
        int[] second = new int[8];
        try (Fixture f = Fixture.open("&fault=registers-random@2")) {
            for (int i = 0; i < first.length; i++) {
                first[i] = f.reg(Regs.STATUS);
            }
        }
        try (Fixture f = Fixture.open("&fault=registers-random@2")) {
            for (int i = 0; i < second.length; i++) {
                second[i] = f.reg(Regs.STATUS);
            }
        }
        assertThat(first).containsExactly(second);
        assertThat(first[0]).as("the first two reads are true").isEqualTo(first[1]);
        assertThat(java.util.Arrays.stream(first, 2, 8).distinct().count()).as("garbage from read 3 on").isGreaterThan(3);
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
            assertThat(segments.stream().map(FaultTest::tcpSequence).toList()).as("without the fault")
                    .containsExactly(3000L, 3536L, 4072L, 4608L);
            assertThat(f.reg(Regs.TSCTC)).as("one segmentation").isEqualTo(1);
        }
        try (Fixture f = Fixture.open("&fault=tso-bad-seq").up()) {
            java.util.List<byte[]> segments = sendSegmentation(f);
            assertThat(segments).hasSize(4).allMatch(io.nicup.mock.IpFrames::l4ChecksumOk);
            assertThat(segments.stream().map(FaultTest::tcpSequence).toList())
                    .containsExactly(3000L, 3000L, 3536L, 4072L);
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
    void resetLosesRarShouldDropDirectedFramesAfterAResetThatFollowsTraffic() {
        try (Fixture f = Fixture.open("&fault=reset-loses-rar").up()) {    // the bring-up's CTRL.RST: no frame yet
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 0));
            assertThat(f.drv.rxLength(0)).as("directed, before the reset").isEqualTo(100);
            f.up();                                                         // CTRL.RST after one frame
            f.drv.setRar(0, Fixture.MAC);
            assertThat(f.reg(Regs.ral(0) + 4) & 0x80000000).as("RAH0.AV reads back").isNotZero();
            f.dev.wire().inject(Frames.frame(Fixture.MAC, 100, 1));
            f.dev.wire().inject(Frames.frame(Frames.BROADCAST, 100, 2));
            assertThat(f.drv.rxData(0, 100)).as("only the broadcast arrives").isEqualTo(Frames.frame(Frames.BROADCAST, 100, 2));
            assertThat(f.drv.rxLength(1)).isZero();
        }
    }

    @Test
    void mdicStuckIsAnExtraFaultAndEveryFaultHasATestHere() {
        java.util.Set<String> methods = java.util.Arrays.stream(FaultTest.class.getDeclaredMethods())
                .map(java.lang.reflect.Method::getName).collect(java.util.stream.Collectors.toSet());
        for (E82574Fault fault : E82574Fault.values()) {
            StringBuilder camel = new StringBuilder();
            for (String part : fault.specName().split("-")) {
                camel.append(camel.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
            }
            assertThat(methods).as("a test for %s", fault.specName())
                    .anyMatch(m -> m.startsWith(camel.toString() + "Should"));
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

    @Test
    void severalFaultsShouldCombine() {
        try (Fixture f = Fixture.open("&fault=nvm-checksum,link-down&fault=mdic-error")) {
            assertThat(f.model.faults()).containsExactlyInAnyOrder(E82574Fault.NVM_CHECKSUM, E82574Fault.LINK_DOWN,
                    E82574Fault.MDIC_ERROR);
            assertThat(f.model.linkUp()).isFalse();
            assertThat(f.model.nvm().checksum()).isNotEqualTo(Nvm.SUM);
        }
    }
}
