package io.nicup.ndis.miniport;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.ndis.miniport.virtio.MiniportVirtioNet;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every miniport against a configuration space the device made malformed ({@code mock:MODEL?fault=cap-*,
 * ext-cap-*, msix-*}, and virtio's vendor capabilities): MiniportInitializeEx fails with FAILURE before it
 * maps or allocates anything, its one-line reason names what was seen, nothing is held afterwards and the
 * NDIS verifier finds no violation.
 */
class HostileConfigSpaceTest {

    /** A bench for any of the three miniports. */
    static final class Bench extends MockMiniportBench<NicDriver> {
        Bench(String spec, NicDriver driver) {
            super(spec, "", driver, 2048);
        }
    }

    static Supplier<NicDriver> driver(String model) {
        return switch (model) {
            case "82574L" -> Miniport82574::new;
            case "82576" -> Miniport82576::new;
            default -> MiniportVirtioNet::new;
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "82574L     | cap-loop             | capability chain loops: pointer_at=0xA1 next=0xC8",
        "82576      | cap-loop             | capability chain loops: pointer_at=0x41 next=0xA0",
        "virtio-net | cap-loop             | capability chain loops: pointer_at=0x41 next=0x98",
        "82574L     | cap-into-header      | capability chain points into the header: pointer_at=0xA1 next=0x10",
        "82576      | cap-into-header      | capability chain points into the header: pointer_at=0x41 next=0x10",
        "virtio-net | cap-into-header      | capability chain points into the header: pointer_at=0x41 next=0x10",
        "82574L     | cap-outside          | capability runs past the configuration space: id=0x10 at=0xFC length=20",
        "82576      | cap-outside          | capability runs past the configuration space: id=0x10 at=0xFC length=20",
        "virtio-net | cap-outside          | capability runs past the configuration space: id=0x10 at=0xFC length=20",
        "82574L     | ext-cap-loop         | extended capability chain loops: next=0x100",
        "82576      | ext-cap-loop         | extended capability chain loops: next=0x100",
        "virtio-net | ext-cap-loop         | extended capability chain loops: next=0x100",
        "82574L     | ext-cap-outside      | extended capability runs past the configuration space: id=0x0001 at=0xFFC",
        "82576      | ext-cap-outside      | extended capability runs past the configuration space: id=0x0001 at=0xFFC",
        "virtio-net | ext-cap-outside      | extended capability runs past the configuration space: id=0x0001 at=0xFFC",
        "82574L     | msix-bar-missing     | MSI-X table is in a BAR the function does not have: bir=5 offset=0x0 vectors=5",
        "82576      | msix-bar-missing     | MSI-X table is in a BAR the function does not have: bir=5 offset=0x0 vectors=10",
        "virtio-net | msix-bar-missing     | MSI-X table is in a BAR the function does not have: bir=5 offset=0x0 vectors=4",
        "82574L     | msix-overlap         | MSI-X table and PBA overlap: bar=3",
        "82576      | msix-overlap         | MSI-X table and PBA overlap: bar=3",
        "virtio-net | msix-overlap         | MSI-X table and PBA overlap: bar=1",
        "82574L     | msix-beyond-bar      | MSI-X table runs past the end of its BAR: bar=3 offset=0x3FF8",
        "82576      | msix-beyond-bar      | MSI-X table runs past the end of its BAR: bar=3 offset=0x3FF8",
        "virtio-net | msix-beyond-bar      | MSI-X table runs past the end of its BAR: bar=1 offset=0xFF8",
        "virtio-net | vendor-cap-bar-missing | no usable COMMON_CFG capability: COMMON_CFG@0x40 bar=5",
        "virtio-net | vendor-cap-beyond-bar  | no usable COMMON_CFG capability: COMMON_CFG@0x40 bar=4 offset=0x3800"})
    void aMalformedConfigurationSpaceFailsInitializationCleanlyNamingWhatWasSeen(String model, String fault,
            String reason) {
        try (Bench b = new Bench("mock:" + model + "?fault=" + fault, driver(model).get())) {
            b.add();
            assertThat(b.adapter.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(b.initFailure()).startsWith(reason).doesNotContain("\n");
            assertThat(b.adapter.heldResources()).as("nothing mapped or allocated is left").isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }
}
