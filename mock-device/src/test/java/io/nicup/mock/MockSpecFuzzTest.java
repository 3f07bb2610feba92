package io.nicup.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nicup.vfio.DeviceAccessException;
import java.nio.charset.StandardCharsets;

/**
 * A mock device spec a user types ({@code mock:82574L?mac=...&fault=...}): any text is refused with
 * INVALID_ARGUMENT and a message, or names a registered model, and then opens a device (or is refused
 * the same way when a value is out of range) that closes cleanly; nothing else escapes.
 */
class MockSpecFuzzTest {

    @FuzzTest
    void anySpecOpensADeviceOrIsAnInvalidArgument(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            MockSpec spec = MockDevices.parse(text);
            assertThat(MockDevices.models()).contains(spec.model());
            try (MockPciDevice device = MockDevices.open(text)) {
                assertThat(device.config().size()).isPositive();
            }
        } catch (DeviceAccessException e) {
            assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
