package io.nicup.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MockRemovalRequestTest {

    @Test
    void aSimulatedDeviceIsAskedOnlyWhenTheTestAsksAnswersUntilClosedAndThenLeavesTheBus() {
        MockPciDevice d = MockDevices.open("mock:82574L");
        MockRemovalRequest r = d.removalRequest();
        AtomicInteger heard = new AtomicInteger();
        r.onRequest(heard::incrementAndGet);
        assertThat(r.offered()).isTrue();
        assertThat(r.requested()).isFalse();

        r.raise();
        r.raise();

        assertThat(r.requested()).isTrue();
        assertThat(heard).hasValue(1);
        assertThat(r.onBus()).as("present while the kernel waits").isTrue();
        assertThat(d.config().read16(0)).isEqualTo(0x8086);
        assertThat(d.bar(0).read32(0x8)).as("STATUS answers: its counters can still be read").isNotEqualTo(0xFFFF_FFFF);
        d.close();
        assertThat(r.onBus()).isFalse();
    }

    @Test
    void aClosedDeviceThatWasNeverAskedStaysOnTheBus() {
        MockPciDevice d = MockDevices.open("mock:82576");
        d.close();
        assertThat(d.removalRequest().onBus()).isTrue();
    }

    @Test
    void theFaultAsksAfterNTransmittedFrames() {
        try (MockPciDevice d = MockDevices.open("mock:virtio-net?fault=removal-request@3")) {
            d.wire().transmit(new byte[60], 60);
            d.wire().transmit(new byte[60], 60);
            assertThat(d.removalRequest().requested()).isFalse();
            d.wire().transmit(new byte[60], 60);
            assertThat(d.removalRequest().requested()).isTrue();
        }
    }

    @Test
    void theFaultWithoutACountAsksAtOnce() {
        try (MockPciDevice d = MockDevices.open("mock:82574L?fault=removal-request")) {
            assertThat(d.removalRequest().requested()).isTrue();
        }
    }
}
