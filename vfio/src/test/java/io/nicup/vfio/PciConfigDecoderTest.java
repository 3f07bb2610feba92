package io.nicup.vfio;

import static io.nicup.vfio.ConfigSpaceFixtures.endpoint;
import static io.nicup.vfio.ConfigSpaceFixtures.put32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The decoder on hand-built config spaces: the registers lspci -vv shows, and config spaces no device
 * should present (all-ones, looping or stray capability pointers), which are cut or refused, never
 * decoded as dozens of entries.
 */
class PciConfigDecoderTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> capability(Map<String, Object> doc, String key, String offset) {
        return ((List<Map<String, Object>>) doc.get(key)).stream().filter(c -> c.get("offset").equals(offset))
                .findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> doc, String key) {
        return (List<Map<String, Object>>) doc.get(key);
    }

    @Test
    void theLinkDeviceStatusAndAspmAreDecodedAsLspciShowsThem() {
        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(endpoint()));

        Map<String, Object> pcie = capability(doc, "capabilities", "50");
        assertThat(pcie).containsEntry("name", "PCI Express").containsEntry("version", 2)
                .containsEntry("device_type", "Endpoint").containsEntry("max_payload_supported", 256)
                .containsEntry("max_payload", 128).containsEntry("max_read_request", 512)
                .containsEntry("device_status", List.of("CorrErr", "AuxPwr"))
                .containsEntry("link_speed_max", "5GT/s").containsEntry("link_width_max", "x1")
                .containsEntry("aspm_support", "L0s L1").containsEntry("aspm", "L1")
                .containsEntry("link_speed", "2.5GT/s").containsEntry("link_width", "x1")
                .containsEntry("link_training", false).containsEntry("dll_link_active", true)
                .containsEntry("target_link_speed", "5GT/s");
        assertThat(capability(doc, "capabilities", "70")).containsEntry("table_size", 5)
                .containsEntry("table", "BAR3+0x0").containsEntry("pba", "BAR3+0x2000");
        assertThat(doc.get("warnings")).isEqualTo(List.of());
    }

    @Test
    void aerStatusMaskAndSeverityAreNamedBitByBit() {
        Map<String, Object> aer = capability(PciConfigDecoder.decode(new ConfigSpaceSnapshot(endpoint())),
                "extended_capabilities", "100");

        assertThat(aer).containsEntry("name", "Advanced Error Reporting")
                .containsEntry("uncorrectable_status", List.of("UnsupReq"))
                .containsEntry("uncorrectable_mask", List.of("UncorrIntErr"))
                .containsEntry("uncorrectable_severity", List.of("DLP", "SDES", "FCP", "RxOF", "MalfTLP"))
                .containsEntry("correctable_status", List.of("RxErr", "BadTLP"))
                .containsEntry("correctable_mask", List.of("AdvNonFatalErr"));
        assertThat(capability(PciConfigDecoder.decode(new ConfigSpaceSnapshot(endpoint())), "extended_capabilities",
                "140")).containsEntry("serial", "0011223333445566");
    }

    @Test
    void aConfigSpaceOfAllOnesIsAHardwareErrorNotADecode() {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) 0xFF);

        assertThatThrownBy(() -> PciConfigDecoder.decode(new ConfigSpaceSnapshot(b)))
                .isInstanceOfSatisfying(DeviceAccessException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.HARDWARE);
                    assertThat(e.getMessage()).startsWith("device reads all-ones: vendor_id=0xffff");
                    assertThat(e.remedy()).contains("not responding or was removed");
                });
    }

    @Test
    void aCapabilityChainThatLoopsIsCutWithAWarning() {
        byte[] b = endpoint();
        b[0x71] = 0x50;                                      // MSI-X points back to PCI Express

        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(b));

        assertThat(list(doc, "capabilities")).extracting(c -> c.get("offset")).containsExactly("40", "50", "70");
        assertThat(doc.get("warnings"))
                .isEqualTo(List.of("capability chain cut: the pointer at 0x71 loops back to 0x50"));
    }

    @Test
    void aCapabilityThatPointsToItselfIsListedOnce() {
        byte[] b = endpoint();
        b[0x34] = (byte) 0xFC;
        b[0xFC] = 0x7F;                                      // an unknown ID pointing to itself
        b[0xFD] = (byte) 0xFC;

        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(b));

        assertThat(list(doc, "capabilities")).hasSize(1);
        assertThat(doc.get("warnings"))
                .isEqualTo(List.of("capability chain cut: the pointer at 0xfd loops back to 0xfc"));
    }

    @Test
    void aCapabilityPointerIntoTheHeaderIsCutWithAWarning() {
        byte[] b = endpoint();
        b[0x41] = 0x10;

        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(b));

        assertThat(list(doc, "capabilities")).extracting(c -> c.get("name")).containsExactly("Power Management");
        assertThat(doc.get("warnings"))
                .isEqualTo(List.of("capability chain cut: the pointer at 0x41 points into the header (0x10)"));
    }

    @Test
    void aCapabilityWhoseBodyRunsPastTheConventionalSpaceIsNamedButNotDecoded() {
        byte[] b = endpoint();
        b[0x71] = (byte) 0xF0;
        b[0xF0] = 0x10;                                      // a PCIe capability would need up to 0x124

        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(b));

        assertThat(capability(doc, "capabilities", "f0")).containsOnlyKeys("offset", "id", "name");
        assertThat(doc.get("warnings")).asList().containsExactly(
                "capability PCI Express at 0xf0 runs past the end of the 256-byte space: not decoded");
    }

    @Test
    void anExtendedChainThatLoopsOrLeavesTheSpaceIsCutWithAWarning() {
        byte[] loop = endpoint();
        put32(loop, 0x140, 0x10010003);                      // DSN points back to AER
        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(loop));
        assertThat(list(doc, "extended_capabilities")).hasSize(2);
        assertThat(doc.get("warnings"))
                .isEqualTo(List.of("extended capability chain cut: the pointer at 0x140 loops back (0x100)"));

        byte[] low = endpoint();
        put32(low, 0x140, 0x04010003);                       // next 0x040: into the conventional space
        assertThat(PciConfigDecoder.decode(new ConfigSpaceSnapshot(low)).get("warnings"))
                .isEqualTo(List.of("extended capability chain cut: the pointer at 0x140 points below 0x100 (0x040)"));

        byte[] beyond = Arrays.copyOf(endpoint(), 0x200);
        put32(beyond, 0x140, 0x30010003);                    // next 0x300 in a 512-byte space
        assertThat(PciConfigDecoder.decode(new ConfigSpaceSnapshot(beyond)).get("warnings")).isEqualTo(List.of(
                "extended capability chain cut: the pointer at 0x140 points outside the 512-byte config space (0x300)"));
    }

    @Test
    void onlyTheHeaderReadableIsDecodedWithAWarningInsteadOfCapabilities() {
        byte[] header = Arrays.copyOf(endpoint(), 64);

        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(header));

        assertThat(doc).containsEntry("vendor_id", "8086").containsEntry("class", "020000");
        assertThat(list(doc, "capabilities")).isEmpty();
        assertThat(doc.get("warnings")).asList().singleElement().asString()
                .startsWith("only 64 of 256 bytes of config space are readable");
    }

    @Test
    void aConventionalFunctionHasNoExtendedWalk() {
        byte[] b = Arrays.copyOf(endpoint(), 256);

        Map<String, Object> doc = PciConfigDecoder.decode(new ConfigSpaceSnapshot(b));

        assertThat(list(doc, "capabilities")).hasSize(3);
        assertThat(list(doc, "extended_capabilities")).isEmpty();
        assertThat(doc.get("warnings")).isEqualTo(List.of());
    }
}
