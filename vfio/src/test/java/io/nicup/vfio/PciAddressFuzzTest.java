package io.nicup.vfio;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * The BDF a user types ({@code nicup bringup 0000:01:00.0}), as the bytes of a command-line argument:
 * it parses to an address that prints back to the same address, or is refused with INVALID_ARGUMENT,
 * a message and the form in the remedy; nothing else escapes.
 */
class PciAddressFuzzTest {

    @FuzzTest
    void anyTextIsAnAddressOrAnInvalidArgument(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        PciAddress a;
        try {
            a = PciAddress.parse(text);
        } catch (DeviceAccessException e) {
            assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT);
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.remedy()).contains("DDDD:BB:DD.F");
            return;
        }
        assertThat(a.toString()).matches("[0-9a-f]{4}:[0-9a-f]{2}:[01][0-9a-f]\\.[0-7]");
        assertThat(PciAddress.parse(a.toString())).isEqualTo(a);
    }
}
