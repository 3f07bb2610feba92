package io.nicup.mock;

import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.PciDevice;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MockPciDeviceTest {

    @Test
    void shouldReleaseEverythingOnClose() {
        MockPciDevice dev = MockDevices.open("mock:82574L");
        PciDevice driverView = dev;
        driverView.setBusMaster(true);
        DmaRegion a = driverView.dma().allocate("ring", 4096, 128);
        DmaRegion b = driverView.dma().allocate("buffers", 65536, 4096);
        InterruptSet irq = driverView.interrupts().enable(InterruptMode.MSIX, 2);
        assertThat(driverView.dma().liveRegions()).isEqualTo(2);
        driverView.close();
        assertThat(dev.isClosed()).isTrue();
        assertThat(dev.dmaAllocator().liveRegions()).isZero();
        assertThat(a.segment().scope().isAlive()).isFalse();
        assertThat(b.segment().scope().isAlive()).isFalse();
        assertThat(dev.configSpace().busMaster()).isFalse();
        assertThat(dev.configSpace().msixEnabled()).isFalse();
        assertThatThrownBy(() -> irq.poll()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> dev.bar(0)).isInstanceOf(IllegalStateException.class);
        driverView.close(); // idempotent
    }

    @Test
    void shouldGiveTheTestTheOtherSide() {
        try (MockPciDevice dev = MockDevices.open("mock:82574L?fault=link-down")) {
            assertThat(dev.wire()).isNotNull();
            assertThat(dev.clock()).isSameAs(dev.clock());
            assertThat(dev.model(io.nicup.mock.e82574.E82574Model.class).faults()).hasSize(1);
            assertThat(dev.toString()).contains("fault=link-down");
            assertThat(dev.dmaFaults()).isEmpty();
        }
    }

    @Test
    void shouldKeepOnlyTheNewestCapturedFrames() {
        VirtualClock clock = new VirtualClock();
        Wire wire = new Wire(clock);
        wire.setCaptureLimit(2);
        int[] heard = {0};
        wire.addListener(frame -> heard[0]++);
        for (int i = 0; i < 3; i++) {
            byte[] f = new byte[20];
            f[0] = (byte) i;
            wire.transmit(f, 20);
        }
        assertThat(wire.captured()).extracting(f -> f[0]).containsExactly((byte) 1, (byte) 2);
        assertThat(heard[0]).isEqualTo(3);
        assertThat(wire.transmittedFrames()).isEqualTo(3);
        assertThatThrownBy(() -> wire.inject(new byte[10])).isInstanceOf(IllegalArgumentException.class);
    }
}
