package io.nicup.mock.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.RegisterAccess;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The virtio-net model's transport as a driver sees it (docs/hardware-reference.md C), and its queues driven by hand. */
class VirtioNetModelTest {

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long ACCEPTED = 1L << 32 | 1L << 33 | 1L << 5 | 1L << 16 | 1L << 17 | 1L << 18;

    @Test
    void identityBarsAndTheCapabilityChainAreQemus() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            assertThat(d.identity().vendorId()).isEqualTo(0x1AF4);
            assertThat(d.identity().deviceId()).isEqualTo(0x1041);
            assertThat(d.identity().revision()).isEqualTo(1);
            assertThat(d.config().read16(MockConfigSpace.SUBSYSTEM_ID)).isEqualTo(0x1100);
            assertThat(d.bars()).extracting(b -> b.index()).containsExactly(1, 4);
            assertThat(d.bars().get(1).is64Bit()).isTrue();
            // BAR sizing: all ones into BAR4 reads back the size mask with the 64-bit prefetchable flags
            d.config().write32(0x20, 0xFFFFFFFF);
            assertThat(d.config().read32(0x20)).isEqualTo(0xFFFFC00C);
            d.config().write32(0x24, 0xFFFFFFFF);
            assertThat(d.config().read32(0x24)).isEqualTo(0xFFFFFFFF);
            MockConfigSpace c = d.configSpace();
            assertThat(c.raw(0x34, 1)).isEqualTo(VirtioNetModel.CAP_MSIX);
            assertThat(c.raw(VirtioNetModel.CAP_MSIX + 1, 1)).isEqualTo(VirtioNetModel.CAP_PCI_CFG);
            assertThat(c.raw(VirtioNetModel.CAP_NOTIFY, 1)).isEqualTo(0x09);
            assertThat(c.raw(VirtioNetModel.CAP_NOTIFY + 3, 1)).as("cfg_type NOTIFY").isEqualTo(2);
            assertThat(c.raw(VirtioNetModel.CAP_NOTIFY + 8, 4)).isEqualTo(0x3000);
            assertThat(c.raw(VirtioNetModel.CAP_NOTIFY + 16, 4)).isEqualTo(4);
            assertThat(c.raw(VirtioNetModel.CAP_COMMON + 1, 1)).as("the last in the chain").isZero();
            assertThat(d.interrupts().maxVectors(InterruptMode.MSIX)).isEqualTo(4);
            assertThat(d.interrupts().maxVectors(InterruptMode.MSI)).isZero();
            assertThatThrownBy(() -> d.bar(0)).isInstanceOf(DeviceAccessException.class).hasMessageContaining("BAR 0");
        }
    }

    @Test
    void theCommonConfigurationDecodesByFieldAndResetsOnStatusZero() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            RegisterSpace bar = d.bar(4);
            assertThat(bar.read16(18)).as("num_queues").isEqualTo((short) 3);
            bar.write32(0, 0);
            assertThat(bar.read32(4)).isEqualTo(0x30BF8024);
            bar.write32(0, 1);
            assertThat(bar.read32(4)).isEqualTo(0x00000103);
            int[] sizes = {256, 256, 64};
            for (int q = 0; q < 3; q++) {
                bar.write16(22, (short) q);
                assertThat(bar.read16(24)).isEqualTo((short) sizes[q]);
                assertThat(bar.read16(30)).as("queue_notify_off").isEqualTo((short) q);
                assertThat(bar.read16(26)).as("NO_VECTOR after reset").isEqualTo((short) 0xFFFF);
            }
            bar.write16(26, (short) 9);
            assertThat(bar.read16(26)).as("beyond the 4-entry MSI-X table: NO_VECTOR").isEqualTo((short) 0xFFFF);
            bar.write16(16, (short) 0);
            assertThat(bar.read16(16)).isZero();
            bar.write8(20, (byte) 3);
            assertThat(bar.read8(20)).isEqualTo((byte) 3);
            bar.write8(20, (byte) 0);
            assertThat(bar.read8(20)).isZero();
            assertThat(bar.read16(16)).as("config_msix_vector back to NO_VECTOR").isEqualTo((short) 0xFFFF);
            assertThat(bar.read8(0x2000)).isEqualTo((byte) 0x52);
            assertThat(bar.read16(0x2006)).as("status LINK_UP").isEqualTo((short) 1);
            bar.read32(20);
            assertThat(d.notedAccesses()).extracting(RegisterAccess::kind).containsExactly("width");
        }
    }

    @Test
    void featuresOkIsNotKeptWithoutAccessPlatformOrWithUnimplementedBits() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            VirtioNetModel m = d.model(VirtioNetModel.class);
            RegisterSpace bar = d.bar(4);
            assertThat(negotiate(bar, ACCEPTED & ~(1L << 33))).isEqualTo(3);
            assertThat(d.notedAccesses()).extracting(RegisterAccess::kind).contains("features-rejected:ACCESS_PLATFORM-required");
            bar.write8(20, (byte) 0);
            assertThat(negotiate(bar, ACCEPTED | 1L << 15)).as("MRG_RXBUF is offered but not modelled").isEqualTo(3);
            bar.write8(20, (byte) 0);
            assertThat(negotiate(bar, ACCEPTED)).isEqualTo(0x0B);
            assertThat(m.driverFeatures()).isEqualTo(ACCEPTED);
        }
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=features-rejected")) {
            assertThat(negotiate(d.bar(4), ACCEPTED)).isEqualTo(3);
        }
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=no-optional-features")) {
            d.bar(4).write32(0, 0);
            assertThat(d.bar(4).read32(4)).isZero();
            assertThat(negotiate(d.bar(4), 1L << 32)).isEqualTo(0x0B);
        }
    }

    private static int negotiate(RegisterSpace bar, long features) {
        bar.write8(20, (byte) 1);
        bar.write8(20, (byte) 3);
        bar.write32(8, 0);
        bar.write32(12, (int) features);
        bar.write32(8, 1);
        bar.write32(12, (int) (features >>> 32));
        bar.write8(20, (byte) 0x0B);
        return bar.read8(20);
    }

    @Test
    void aTransmitChainGoesOnTheWireAndIsUsedWithItsVector() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            RegisterSpace bar = d.bar(4);
            d.setBusMaster(true);
            InterruptSet irq = d.interrupts().enable(InterruptMode.MSIX, 4);
            DmaRegion ring = d.dma().allocate("tx-queue", 4096, 16);
            DmaRegion data = d.dma().allocate("tx-data", 4096, 16);
            int qsz = 8;
            long desc = ring.iova();
            long avail = desc + 16 * qsz;
            long used = desc + 256;
            assertThat(negotiate(bar, ACCEPTED)).isEqualTo(0x0B);
            bar.write16(22, (short) 1);
            bar.write16(24, (short) qsz);
            bar.write32(32, (int) desc);
            bar.write32(36, (int) (desc >>> 32));
            bar.write32(40, (int) avail);
            bar.write32(44, (int) (avail >>> 32));
            bar.write32(48, (int) used);
            bar.write32(52, (int) (used >>> 32));
            bar.write16(26, (short) 2);
            bar.write16(28, (short) 1);
            bar.write8(20, (byte) 0x0F);
            byte[] frame = new byte[60];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = (byte) (i + 1);
            }
            var mem = data.segment();
            java.lang.foreign.MemorySegment.copy(frame, 0, mem, ValueLayout.JAVA_BYTE, 64, frame.length);
            var r = ring.segment();
            r.set(LE64, 0, data.iova());                       // header, 12 zero bytes
            r.set(LE32, 8, 12);
            r.set(LE16, 12, (short) 1);
            r.set(LE16, 14, (short) 1);
            r.set(LE64, 16, data.iova() + 64);                 // the frame
            r.set(LE32, 24, frame.length);
            r.set(LE16, 28, (short) 0);
            r.set(LE16, 16 * qsz + 4, (short) 0);              // avail.ring[0] = head 0
            r.set(LE16, 16 * qsz + 2, (short) 1);              // avail.idx = 1
            bar.write16(0x3000 + 4, (short) 1);                // notify queue 1
            assertThat(d.wire().captured()).singleElement().isEqualTo(frame);
            assertThat(r.get(LE16, 256 + 2)).as("used.idx").isEqualTo((short) 1);
            assertThat(r.get(LE32, 256 + 4)).as("used id").isZero();
            assertThat(irq.poll()).as("vector 2 fired").isEqualTo(1L << 2);
            assertThat(bar.read8(0x1000)).as("ISR unused with MSI-X").isZero();
        }
    }

    /** Programs queue {@code q} with {@code qsz} entries at desc/avail/used = ring + 0 / 16*qsz / 512. */
    private static void setUpQueue(RegisterSpace bar, int q, int qsz, long ring, int vector) {
        bar.write16(22, (short) q);
        bar.write16(24, (short) qsz);
        bar.write64(32, ring);
        bar.write64(40, ring + 16L * qsz);
        bar.write64(48, ring + 512);
        bar.write16(26, (short) vector);
        bar.write16(28, (short) 1);
    }

    @Test
    void aReceivedFrameIsWrittenAfterATwelveByteHeaderAndWaitsInTheFifoWithoutABuffer() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            RegisterSpace bar = d.bar(4);
            VirtioNetModel m = d.model(VirtioNetModel.class);
            d.setBusMaster(true);
            InterruptSet irq = d.interrupts().enable(InterruptMode.MSIX, 4);
            DmaRegion ring = d.dma().allocate("rx-queue", 4096, 16);
            DmaRegion buf = d.dma().allocate("rx-buffer", 4096, 16);
            negotiate(bar, ACCEPTED);
            setUpQueue(bar, 0, 8, ring.iova(), 1);
            bar.write8(20, (byte) 0x0F);
            byte[] frame = new byte[100];
            System.arraycopy(m.mac(), 0, frame, 0, 6);
            frame[50] = 0x5A;
            d.wire().inject(frame);
            assertThat(m.rxFifoFrames()).as("no buffer yet: the frame waits").isEqualTo(1);
            var r = ring.segment();
            r.set(LE64, 0, buf.iova());
            r.set(LE32, 8, 2048);
            r.set(LE16, 12, (short) 2);                      // WRITE
            r.set(LE16, 16 * 8 + 4, (short) 0);
            r.set(LE16, 16 * 8 + 2, (short) 1);
            bar.write16(0x3000, (short) 0);                  // notify queue 0
            assertThat(m.rxFifoFrames()).isZero();
            assertThat(r.get(LE16, 512 + 2)).as("used.idx").isEqualTo((short) 1);
            assertThat(r.get(LE32, 512 + 8)).as("used.len = 12 + frame").isEqualTo(112);
            assertThat(buf.segment().get(LE16, 10)).as("num_buffers").isEqualTo((short) 1);
            assertThat(buf.segment().asSlice(12, 100).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(frame);
            assertThat(irq.poll()).isEqualTo(1L << 1);
        }
    }

    @Test
    void controlCommandsSetTheReceiveModeAndTheMacTableAndAnswerErrForTheUnknown() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            RegisterSpace bar = d.bar(4);
            VirtioNetModel m = d.model(VirtioNetModel.class);
            d.setBusMaster(true);
            DmaRegion ring = d.dma().allocate("ctrl-queue", 4096, 16);
            DmaRegion buf = d.dma().allocate("ctrl-buffer", 4096, 16);
            negotiate(bar, ACCEPTED);
            setUpQueue(bar, 2, 8, ring.iova(), 3);
            bar.write8(20, (byte) 0x0F);
            assertThat(m.promiscuous()).isTrue();
            assertThat(command(bar, ring, buf, 0, 0, new byte[] {0}, 1)).as("RX_PROMISC off: OK").isZero();
            assertThat(m.promiscuous()).isFalse();
            byte[] table = {1, 0, 0, 0, 2, 0, 0, 0, 0, 7, 1, 0, 0, 0, 1, 0, 0x5E, 0, 0, 1};
            assertThat(command(bar, ring, buf, 1, 0, table, 2)).as("MAC_TABLE_SET: OK").isZero();
            assertThat(m.unicastTable()).containsExactly(2, 0, 0, 0, 0, 7);
            assertThat(m.multicastTable()).containsExactly(1, 0, 0x5E, 0, 0, 1);
            assertThat(command(bar, ring, buf, 9, 9, new byte[] {0}, 3)).as("unknown class: ERR").isEqualTo(1);
        }
    }

    /** One command through the control queue (header, data, ack); returns the ack byte. */
    private static int command(RegisterSpace bar, DmaRegion ring, DmaRegion buf, int cls, int cmd, byte[] data, int n) {
        var r = ring.segment();
        var b = buf.segment();
        b.set(ValueLayout.JAVA_BYTE, 0, (byte) cls);
        b.set(ValueLayout.JAVA_BYTE, 1, (byte) cmd);
        java.lang.foreign.MemorySegment.copy(data, 0, b, ValueLayout.JAVA_BYTE, 16, data.length);
        b.set(ValueLayout.JAVA_BYTE, 8, (byte) 0xEE);
        r.set(LE64, 0, buf.iova());
        r.set(LE32, 8, 2);
        r.set(LE16, 12, (short) 1);
        r.set(LE16, 14, (short) 1);
        r.set(LE64, 16, buf.iova() + 16);
        r.set(LE32, 24, data.length);
        r.set(LE16, 28, (short) 1);
        r.set(LE16, 30, (short) 2);
        r.set(LE64, 32, buf.iova() + 8);
        r.set(LE32, 40, 1);
        r.set(LE16, 44, (short) 2);
        r.set(LE16, 16 * 8 + 4 + 2 * ((n - 1) % 8), (short) 0);
        r.set(LE16, 16 * 8 + 2, (short) n);
        bar.write16(0x3000 + 8, (short) 2);
        assertThat(r.get(LE16, 512 + 2)).as("used.idx").isEqualTo((short) n);
        return b.get(ValueLayout.JAVA_BYTE, 8);
    }

    @Test
    void theIsrStatusClearsOnReadAndLowersIntx() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net")) {
            RegisterSpace bar = d.bar(4);
            VirtioNetModel m = d.model(VirtioNetModel.class);
            negotiate(bar, ACCEPTED);
            bar.write8(20, (byte) 0x0F);
            d.wire().setLink(false);
            assertThat(m.interrupts().intxLevel()).isTrue();
            assertThat(bar.read8(0x1000)).isEqualTo((byte) 2);
            assertThat(bar.read8(0x1000)).isZero();
            assertThat(m.interrupts().intxLevel()).isFalse();
            assertThat(bar.read16(0x2006)).isZero();
            assertThat(bar.read8(21)).as("config_generation moved").isEqualTo((byte) 1);
        }
    }

    @Test
    void faultsAreListedAndParsedLikeEveryModels() {
        assertThat(MockDevices.factory("virtio-net").faults()).containsKeys("reset-stuck", "link-down", "link-flap",
                "all-ones", "tx-hang", "rx-length", "irq-storm", "dma-fault", "features-rejected", "device-needs-reset",
                "no-optional-features", "msix-no-vector");
        assertThat(MockDevices.parse("mock:virtio-net?fault=tx-hang@5,rx-length").faults()).hasSize(2);
        assertThatThrownBy(() -> MockDevices.parse("mock:virtio-net?fault=nvm-checksum"))
                .hasMessageContaining("unknown fault").hasMessageContaining("features-rejected");
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=all-ones")) {
            assertThat(d.config().read16(0)).isEqualTo(0xFFFF);
            assertThat(d.bar(4).read8(20)).isEqualTo((byte) 0xFF);
        }
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=reset-stuck")) {
            d.bar(4).write8(20, (byte) 0);
            assertThat(d.bar(4).read8(20)).isEqualTo((byte) 3);
        }
    }

    @Test
    void theVendorCapabilityFaultsMoveCommonCfgOutOfReachAndLeaveTheOtherStructures() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=vendor-cap-bar-missing")) {
            MockConfigSpace c = d.configSpace();
            assertThat(c.raw(VirtioNetModel.CAP_COMMON + 4, 1)).as("BAR5, the upper half of BAR4").isEqualTo(5);
            assertThat(d.bars()).extracting(b -> b.index()).doesNotContain(5);
            assertThat(c.raw(VirtioNetModel.CAP_NOTIFY + 4, 1)).isEqualTo(4);
        }
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=vendor-cap-beyond-bar")) {
            MockConfigSpace c = d.configSpace();
            long end = (c.raw(VirtioNetModel.CAP_COMMON + 8, 4) & 0xFFFFFFFFL) + c.raw(VirtioNetModel.CAP_COMMON + 12, 4);
            assertThat(c.raw(VirtioNetModel.CAP_COMMON + 4, 1)).isEqualTo(4);
            assertThat(end).as("offset + length past the 16 KiB of BAR4").isEqualTo(VirtioNetModel.BAR4_SIZE + 0x800);
            assertThat(d.bar(4).read8(20)).as("the structure itself is where it always was").isEqualTo((byte) 0);
        }
    }
}
