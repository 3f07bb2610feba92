package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * A MAC address a user writes (the NetworkAddress keyword, {@code --dst}): any text parses to an address
 * that prints back to itself and survives its bytes, or is refused with the documented
 * IllegalArgumentException and a message; nothing else escapes.
 */
class MacAddressFuzzTest {

    @FuzzTest
    void anyTextIsAnAddressOrRefused(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        MacAddress mac;
        try {
            mac = MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            assertThat(e).isExactlyInstanceOf(IllegalArgumentException.class);
            assertThat(e.getMessage()).startsWith("not 12 hex digits");
            return;
        }
        assertThat(mac.toString()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(MacAddress.parse(mac.toString())).isEqualTo(mac);
        assertThat(MacAddress.of(mac.bytes())).isEqualTo(mac);
    }
}
