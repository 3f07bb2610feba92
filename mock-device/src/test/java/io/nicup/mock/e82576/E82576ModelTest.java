package io.nicup.mock.e82576;

import static io.nicup.mock.e82576.Regs.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.intel.Eerd;
import io.nicup.mock.intel.Mdic;
import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behavioural 82576 ({@code mock:82576}) driven register by register, as a driver would: reset and
 * NVM auto-read timing, EERD, the PHY behind MDIC, queue enables, advanced descriptors both ways, the
 * MSI-X routing through IVAR/IVAR_MISC, statistics, loopback and every fault.
 */
class E82576ModelTest {

    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final byte[] MAC = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    static final byte[] PEER = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    static final int COUNT = 16;

    /** A device with a TX and RX ring on queue 0 and the helpers a test needs. */
    static final class Bench implements AutoCloseable {
        final MockPciDevice dev;
        final E82576Model model;
        final RegisterSpace regs;
        DmaRegion txRing;
        DmaRegion txBuffers;
        DmaRegion rxRing;
        DmaRegion rxBuffers;
        int txTail;
        int rxNext;

        Bench(String extra) {
            dev = MockDevices.open("mock:82576?mac=02:00:00:00:00:01" + extra);
            model = dev.model(E82576Model.class);
            regs = dev.bar(0);
        }

        int read(int off) {
            return regs.read32(off);
        }

        void write(int off, int v) {
            regs.write32(off, v);
        }

        void advance(long nanos) {
            dev.clock().advance(nanos);
        }

        void reset() {
            write(CTRL, read(CTRL) | Ctrl.RST);
            advance(Timing.SOFTWARE_RESET_NANOS + Timing.NVM_AUTO_READ_NANOS);
        }

        void linkUp() {
            write(CTRL, read(CTRL) | Ctrl.SLU);
            mdic(Mdic.OP_WRITE, Phy.BMCR, Phy.BMCR_ANENABLE | Phy.BMCR_ANRESTART);
            advance(Timing.AUTONEG_NANOS);
        }

        int mdic(int op, int reg, int data) {
            write(MDIC, op | 1 << Mdic.PHY_SHIFT | reg << Mdic.REG_SHIFT | data);
            advance(Timing.MDIC_NANOS);
            return read(MDIC);
        }

        /** Reset, link, bus master, rings on queue 0 with the queues enabled and RCTL as given. */
        Bench up(int rctl) {
            reset();
            dev.setBusMaster(true);
            linkUp();
            txRing = dev.dma().allocate("tx-ring", COUNT * 16, 128);
            txBuffers = dev.dma().allocate("tx-buffers", COUNT * 2048, 4096);
            rxRing = dev.dma().allocate("rx-ring", COUNT * 16, 128);
            rxBuffers = dev.dma().allocate("rx-buffers", COUNT * 2048, 4096);
            write(0x3800, (int) txRing.iova());
            write(0x3804, (int) (txRing.iova() >>> 32));
            write(0x3808, COUNT * 16);
            write(TCTL, Tctl.EN | Tctl.PSP);
            write(0x2800, (int) rxRing.iova());
            write(0x2804, (int) (rxRing.iova() >>> 32));
            write(0x2808, COUNT * 16);
            write(0x280C, 2 | 0x02000000);
            write(RCTL, rctl);
            for (int i = 0; i < COUNT; i++) {
                rxRing.segment().set(LE64, i * 16L, rxBuffers.iova() + 2048L * i);
            }
            write(0x2828, QUEUE_ENABLE);
            advance(Timing.QUEUE_ENABLE_NANOS);
            write(0x2818, COUNT - 1);
            return this;
        }

        void send(byte[] frame, int cmdExtra) {
            int slot = txTail;
            txBuffers.segment().asSlice(2048L * slot, frame.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(frame));
            long d = slot * 16L;
            txRing.segment().set(LE64, d, txBuffers.iova() + 2048L * slot);
            txRing.segment().set(LE32, d + 8, frame.length | TxDesc.DTYP_DATA | TxDesc.DEXT | TxDesc.EOP | TxDesc.IFCS
                    | TxDesc.RS | cmdExtra);
            txRing.segment().set(LE32, d + 12, frame.length << 14);
            txTail = (txTail + 1) % COUNT;
            write(0x3818, txTail);
        }

        /** The next received frame from queue 0, or null; the descriptor goes back to the device. */
        byte[] receive() {
            long d = rxNext * 16L;
            int status = rxRing.segment().get(LE32, d + 8);
            if ((status & RxDesc.STAT_DD) == 0) {
                return null;
            }
            int len = rxRing.segment().get(LE32, d + 12) & 0xFFFF;
            byte[] f = rxBuffers.segment().asSlice(2048L * rxNext, Math.min(len, 2048)).toArray(ValueLayout.JAVA_BYTE);
            rxRing.segment().set(LE64, d, rxBuffers.iova() + 2048L * rxNext);
            rxRing.segment().set(LE64, d + 8, 0L);
            write(0x2818, rxNext);
            rxNext = (rxNext + 1) % COUNT;
            return len > 2048 ? Arrays.copyOf(f, len) : f;
        }

        @Override
        public void close() {
            dev.close();
        }
    }

    static byte[] frame(byte[] dst, byte[] src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq + i);
        }
        return f;
    }

    static final int RCTL_ON = Rctl.EN | Rctl.BAM | Rctl.SECRC;

    @Test
    void theConfigSpaceIsAnIntel82576WithMsixForTenVectors() {
        try (Bench b = new Bench("")) {
            assertThat(b.dev.identity().vendorId()).isEqualTo(0x8086);
            assertThat(b.dev.identity().deviceId()).isEqualTo(0x10C9);
            assertThat(b.dev.interrupts().maxVectors(InterruptMode.MSIX)).isEqualTo(10);
            assertThat(MockDevices.models()).contains("82576");
            assertThat(MockDevices.factory("82576").faults()).containsKeys("reset-stuck", "nvm-autoread-stuck",
                    "eerd-stuck", "mdic-error", "link-down", "link-flap", "tx-hang", "rx-length", "all-ones", "irq-storm",
                    "dma-fault");
        }
    }

    @Test
    void aSoftwareResetTakesTimeThenTheAutoReadLoadsTheMacAndSetsAutoRd() {
        try (Bench b = new Bench("")) {
            b.write(CTRL, Ctrl.RST);
            assertThat(b.read(CTRL) & Ctrl.RST).isNotZero();
            b.write(RCTL, Rctl.EN);
            assertThat(b.model.peek(RCTL)).as("writes during reset are ignored").isZero();
            assertThat(b.dev.notedAccesses()).anyMatch(a -> a.kind().equals("during-reset"));
            b.advance(Timing.SOFTWARE_RESET_NANOS);
            assertThat(b.read(CTRL) & Ctrl.RST).isZero();
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isZero();
            assertThat(b.read(RAH0) & RAH_AV).isZero();
            b.advance(Timing.NVM_AUTO_READ_NANOS);
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isNotZero();
            assertThat(b.read(RAL0)).isEqualTo(0x00000002);
            assertThat(b.read(RAH0)).isEqualTo(RAH_AV | 0x0100);
            assertThat(b.read(STATUS) & Status.LU).as("no link until autonegotiation is restarted").isZero();
        }
    }

    @Test
    void eerdReadsTheNvmWhoseWordsSumToBaba() {
        try (Bench b = new Bench("")) {
            int sum = 0;
            for (int w = 0; w < 64; w++) {
                b.write(EERD, w << 2 | Eerd.START);
                assertThat(b.read(EERD) & Eerd.DONE).isZero();
                b.advance(Timing.EERD_NANOS);
                int v = b.read(EERD);
                assertThat(v & Eerd.DONE).isNotZero();
                sum += v >>> 16;
            }
            assertThat(sum & 0xFFFF).isEqualTo(0xBABA);
        }
    }

    @Test
    void thePhyAnswersMdicAtAddressOneAndAutonegotiationBringsTheLinkUpIn500ms() {
        try (Bench b = new Bench("")) {
            assertThat(b.mdic(Mdic.OP_READ, Phy.ID1, 0) & 0xFFFF).isEqualTo(0x02A8);
            assertThat(b.mdic(Mdic.OP_READ, Phy.ID2, 0) & 0xFFFF).isEqualTo(0x0391);
            assertThat(b.mdic(Mdic.OP_READ, Phy.PAGE_SELECT, 0) & Mdic.ERROR).as("write-only").isNotZero();
            b.write(MDIC, Mdic.OP_READ | 2 << Mdic.PHY_SHIFT | Phy.ID1 << Mdic.REG_SHIFT);
            b.advance(Timing.MDIC_NANOS);
            assertThat(b.read(MDIC) & Mdic.ERROR).as("no PHY at address 2").isNotZero();
            b.write(CTRL, b.read(CTRL) | Ctrl.SLU);
            b.mdic(Mdic.OP_WRITE, Phy.BMCR, Phy.BMCR_ANENABLE | Phy.BMCR_ANRESTART);
            b.advance(Timing.AUTONEG_NANOS - 1_000_000);
            assertThat(b.read(STATUS) & Status.LU).isZero();
            b.advance(1_000_000);
            assertThat(b.read(STATUS) & (Status.LU | Status.SPEED_1000 | Status.FD))
                    .isEqualTo(Status.LU | Status.SPEED_1000 | Status.FD);
            assertThat(b.model.phyRegister(Phy.BMSR) & Phy.BMSR_ANEGCOMPLETE).isNotZero();
            assertThat(b.read(ICR) & Icr.LSC).isNotZero();
        }
    }

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
    void msixModeRoutesQueuesThroughIvarAndOtherCausesThroughIvarMiscWithEiacClearing() {
        try (Bench b = new Bench("")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.MSIX, 3);
            b.up(RCTL_ON);
            b.write(GPIE, Gpie.MSIX_MODE | Gpie.NSICR);
            b.write(IVAR0, (0x80 | 0) | (0x80 | 1) << 8);
            b.write(IVAR_MISC, (0x80 | 2) << 8);
            b.write(EIAC, 0b11);
            b.write(EIMS, 0b111);
            b.write(IMS, Icr.LSC);
            set.poll();
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            assertThat(set.poll()).isEqualTo(0b001);
            assertThat(b.read(EICR) & 1).as("EIAC cleared the RX vector's bit").isZero();
            b.send(frame(PEER, MAC, 64, 2), 0);
            assertThat(set.poll()).isEqualTo(0b010);
            b.read(ICR);                                   // the LSC of the link coming up is pending: clear it
            b.write(ICS, Icr.LSC);
            assertThat(set.poll()).isEqualTo(0b100);
            assertThat(b.read(EICR) & 0b100).as("other is not in EIAC").isNotZero();
            assertThat(b.read(ICR) & Icr.LSC).isNotZero();
            assertThat(b.read(ICR)).as("NSICR: the read cleared it").isZero();
            b.write(EIMC, 0b111);
            b.write(EICS, 0b001);
            assertThat(set.poll()).as("masked").isZero();
        }
    }

    @Test
    void intxFollowsIcrAndImsOutsideMsixModeAndTheIcrReadClearsIt() {
        try (Bench b = new Bench("")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.INTX, 1);
            b.up(RCTL_ON);
            b.write(IMS, Icr.RXDW);
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            assertThat(set.poll()).isEqualTo(1);
            assertThat(b.read(ICR) & (Icr.RXDW | Icr.INT_ASSERTED)).isEqualTo(Icr.RXDW | Icr.INT_ASSERTED);
            assertThat(b.read(ICR)).isZero();
            assertThat(b.dev.interrupts() instanceof io.nicup.mock.MockInterrupts m && !m.intxLevel()).isTrue();
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

    // ---- faults ----------------------------------------------------------------------------------

    @Test
    void resetStuckKeepsRstSet() {
        try (Bench b = new Bench("&fault=reset-stuck")) {
            b.reset();
            b.advance(100_000_000);
            assertThat(b.read(CTRL) & Ctrl.RST).isNotZero();
        }
    }

    @Test
    void nvmAutoreadStuckLeavesAutoRdClearRal0EmptyAndEerdSilent() {
        try (Bench b = new Bench("&fault=nvm-autoread-stuck")) {
            b.reset();
            b.advance(100_000_000);
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isZero();
            assertThat(b.read(RAH0) & RAH_AV).isZero();
            b.write(EERD, Eerd.START);
            b.advance(10_000_000);
            assertThat(b.read(EERD) & Eerd.DONE).isZero();
        }
    }

    @Test
    void eerdStuckNeverCompletesButTheAutoReadDoes() {
        try (Bench b = new Bench("&fault=eerd-stuck")) {
            b.reset();
            assertThat(b.read(EECD) & Eecd.AUTO_RD).isNotZero();
            b.write(EERD, Eerd.START);
            b.advance(10_000_000);
            assertThat(b.read(EERD) & Eerd.DONE).isZero();
        }
    }

    @Test
    void mdicErrorFailsEveryPhyAccess() {
        try (Bench b = new Bench("&fault=mdic-error")) {
            assertThat(b.mdic(Mdic.OP_READ, Phy.ID1, 0) & (Mdic.READY | Mdic.ERROR)).isEqualTo(Mdic.READY | Mdic.ERROR);
        }
    }

    @Test
    void linkDownNeverBringsTheLinkUp() {
        try (Bench b = new Bench("&fault=link-down")) {
            b.reset();
            b.linkUp();
            b.advance(2_000_000_000L);
            assertThat(b.read(STATUS) & Status.LU).isZero();
        }
    }

    @Test
    void linkFlapDropsTheLinkAfterNFramesAndNegotiatesItBack() {
        try (Bench b = new Bench("&fault=link-flap@3")) {
            b.up(RCTL_ON);
            for (int i = 0; i < 3; i++) {
                b.send(frame(PEER, MAC, 64, i), 0);
            }
            assertThat(b.read(STATUS) & Status.LU).isZero();
            b.advance(Timing.LINK_FLAP_DOWN_NANOS + Timing.AUTONEG_NANOS);
            assertThat(b.read(STATUS) & Status.LU).isNotZero();
            assertThat(b.model.counter(E82576Model.Counter.LINK_FLAPS)).isEqualTo(1);
        }
    }

    @Test
    void txHangStopsTdhAfterNFramesUntilAReset() {
        try (Bench b = new Bench("&fault=tx-hang@2")) {
            b.up(RCTL_ON);
            for (int i = 0; i < 4; i++) {
                b.send(frame(PEER, MAC, 64, i), 0);
            }
            assertThat(b.dev.wire().captured()).hasSize(2);
            assertThat(b.read(0x3810)).isEqualTo(2);
            assertThat(b.model.txHung()).isTrue();
            b.reset();
            assertThat(b.model.txHung()).isFalse();
        }
    }

    @Test
    void rxLengthReportsMoreThanTheBufferForFrameNPlusOne() {
        try (Bench b = new Bench("&fault=rx-length@1")) {
            b.up(RCTL_ON);
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            b.dev.wire().inject(frame(MAC, PEER, 64, 2));
            assertThat(b.rxRing.segment().get(LE32, 12) & 0xFFFF).isEqualTo(64);
            assertThat(b.rxRing.segment().get(LE32, 16 + 12) & 0xFFFF).isEqualTo(64 + 2048);
        }
    }

    @Test
    void allOnesMakesEveryReadAllOnesAfterNFrames() {
        try (Bench b = new Bench("&fault=all-ones@1")) {
            b.up(RCTL_ON);
            b.send(frame(PEER, MAC, 64, 1), 0);
            assertThat(b.read(STATUS)).isEqualTo(-1);
            assertThat(b.dev.configSpace().read16(0)).isEqualTo(0xFFFF);
        }
    }

    @Test
    void irqStormReSignalsLscOnTheOtherVectorEvery100us() {
        try (Bench b = new Bench("&fault=irq-storm@0")) {
            InterruptSet set = b.dev.interrupts().enable(InterruptMode.MSIX, 3);
            b.up(RCTL_ON);
            b.write(GPIE, Gpie.MSIX_MODE | Gpie.NSICR);
            b.write(IVAR_MISC, (0x80 | 2) << 8);
            b.write(EIMS, 0b100);
            b.write(IMS, Icr.LSC);
            long before = set.events(2);
            b.advance(10_000_000);
            assertThat(set.events(2) - before).isGreaterThanOrEqualTo(90);
            b.read(ICR);
            assertThat(b.read(ICR) & Icr.LSC).as("LSC sticks").isNotZero();
        }
    }

    @Test
    void dmaFaultWritesFrameNPlusOneOutsideEveryMappingAndTheIommuRefusesIt() {
        try (Bench b = new Bench("&fault=dma-fault@1")) {
            b.up(RCTL_ON);
            b.dev.wire().inject(frame(MAC, PEER, 64, 1));
            b.dev.wire().inject(frame(MAC, PEER, 64, 2));
            assertThat(b.dev.dmaFaults()).hasSize(1);
            assertThat(b.dev.dmaFaults().get(0).iova()).isEqualTo(E82576Model.DMA_FAULT_IOVA);
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
