package io.nicup.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.PciConfigDecoder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The configuration-space faults every model takes under the same names ({@link ConfigFault}): what each
 * does to the chain or the MSI-X capability, as lspci's kind of walk ({@link PciConfigDecoder}) and the
 * raw bytes show it, and that the model itself still finds its MSI-X capability.
 */
class ConfigFaultTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void everyModelListsTheConfigurationFaults(String model) {
        assertThat(MockDevices.factory(model).faults()).containsKeys("cap-loop", "cap-outside", "cap-into-header",
                "ext-cap-loop", "ext-cap-outside", "msix-bar-missing", "msix-overlap", "msix-beyond-bar");
        try (MockPciDevice d = MockDevices.open("mock:" + model)) {
            assertThat(warnings(d)).as("without a fault nothing loops or leaves the space")
                    .noneMatch(w -> w.contains("chain cut"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void capLoopLeadsTheLastCapabilityBackToTheFirst(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=cap-loop")) {
            int first = d.configSpace().raw(0x34, 1);
            assertThat(faultWarnings(d)).singleElement().asString().contains("loops back to 0x" + Integer.toHexString(first));
            assertThat(d.configSpace().findCapability(MockConfigSpace.CAP_ID_MSIX)).as("the model's own walk").isNotZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void capIntoHeaderEndsTheChainAtBar0(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=cap-into-header")) {
            assertThat(faultWarnings(d)).singleElement().asString().contains("points into the header (0x10)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void capOutsidePutsAPciExpressCapabilityAt0xfcThatRunsPastTheSpace(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=cap-outside")) {
            assertThat(faultWarnings(d)).singleElement().asString()
                    .contains("PCI Express at 0xfc runs past the end of the 256-byte space");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void extCapLoopLeadsTheExtendedChainBackTo0x100(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=ext-cap-loop")) {
            assertThat(faultWarnings(d)).singleElement().asString()
                    .contains("extended capability chain cut").contains("loops back (0x100)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void extCapOutsideEndsTheExtendedChainWithAnAerAt0xffc(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=ext-cap-outside")) {
            MockConfigSpace c = d.configSpace();
            int at = 0x100;
            for (int n = 0; n < 16 && (c.raw(at, 4) >>> 20) != 0; n++) {
                at = c.raw(at, 4) >>> 20;
            }
            assertThat(at).isEqualTo(ConfigFault.EXT_OUTSIDE_AT);
            assertThat(c.raw(at, 4) & 0xFFFF).as("AER, 0x2C bytes, from 0xFFC").isEqualTo(MockConfigSpace.EXT_CAP_ID_AER);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void msixBarMissingNamesBar5WhichNoModelHas(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=msix-bar-missing")) {
            int cap = d.configSpace().findCapability(MockConfigSpace.CAP_ID_MSIX);
            assertThat(d.configSpace().raw(cap + 4, 4) & 7).isEqualTo(ConfigFault.MISSING_BAR);
            assertThat(d.bars()).extracting(BarInfo::index).doesNotContain(ConfigFault.MISSING_BAR);
            assertThat(msixFields(d)).containsEntry("table", "BAR5+0x0");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void msixOverlapPutsThePbaOnTheTable(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=msix-overlap")) {
            Map<String, Object> msix = msixFields(d);
            assertThat(msix.get("pba")).isEqualTo(msix.get("table"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void msixBeyondBarStartsTheTable8BytesBeforeTheBarEnds(String model) {
        try (MockPciDevice d = MockDevices.open("mock:" + model + "?fault=msix-beyond-bar")) {
            int cap = d.configSpace().findCapability(MockConfigSpace.CAP_ID_MSIX);
            int word = d.configSpace().raw(cap + 4, 4);
            long size = d.bars().stream().filter(b -> b.index() == (word & 7)).findFirst().orElseThrow().size();
            assertThat(word & ~7L).isEqualTo(size - 8);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> warnings(MockPciDevice d) {
        return (List<String>) PciConfigDecoder.decode(d.config()).get("warnings");
    }

    /** The warnings the fault adds to those of the model without it (the 82574L's PCIe capability has one). */
    private static List<String> faultWarnings(MockPciDevice d) {
        try (MockPciDevice clean = MockDevices.open("mock:" + d.spec().model())) {
            List<String> before = warnings(clean);
            return warnings(d).stream().filter(w -> !before.contains(w)).toList();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> msixFields(MockPciDevice d) {
        List<Map<String, Object>> caps = (List<Map<String, Object>>) PciConfigDecoder.decode(d.config()).get("capabilities");
        return caps.stream().filter(c -> "11".equals(c.get("id"))).findFirst().orElseThrow();
    }
}
