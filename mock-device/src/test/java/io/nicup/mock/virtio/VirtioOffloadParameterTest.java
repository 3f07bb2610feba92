package io.nicup.mock.virtio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.vfio.DeviceAccessException;
import org.junit.jupiter.api.Test;

/** {@code mock:virtio-net?offload=on|off}: the offload features are offered only when asked for (docs/hardware-reference.md C.9). */
class VirtioOffloadParameterTest {

    @Test
    void theOffloadFeaturesAreOfferedOnlyWithOffloadOn() {
        try (MockPciDevice plain = MockDevices.open("mock:virtio-net");
                MockPciDevice on = MockDevices.open("mock:virtio-net?offload=on")) {
            long without = plain.model(VirtioNetModel.class).offeredFeatures();
            long with = on.model(VirtioNetModel.class).offeredFeatures();
            assertThat(without).isEqualTo(VirtioNetModel.QEMU_FEATURES);
            assertThat(with).isEqualTo(VirtioNetModel.QEMU_FEATURES | VirtioNetModel.OFFLOAD_FEATURES);
            assertThat(VirtioNetModel.OFFLOAD_FEATURES).isEqualTo(1L | 1L << 1 | 1L << 11 | 1L << 12);
        }
    }

    @Test
    void aValueOtherThanOnOrOffIsRefused() {
        assertThatThrownBy(() -> MockDevices.open("mock:virtio-net?offload=yes")).isInstanceOf(DeviceAccessException.class)
                .hasMessageContaining("offload=yes");
    }

    @Test
    void theParameterIsDescribed() {
        assertThat(MockDevices.describeModels()).contains("offload: on: offer CSUM, GUEST_CSUM, HOST_TSO4 and HOST_TSO6");
    }
}
