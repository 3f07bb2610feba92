package io.nicup.ndis.miniport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.nicup.mock.MockConfigSpace;
import io.nicup.ndis.NdisStatus;

/**
 * A configuration space as the device chooses it, seen by every miniport's MiniportInitializeEx: the
 * first input byte picks the model (82574L, 82576, virtio-net), the second is the Capabilities Pointer,
 * the rest overwrites the space from 0x40 on (capabilities, MSI-X, virtio's vendor capabilities, the
 * extended list). The oracle: no exception escapes the driver; initialization succeeds and the adapter
 * halts with nothing left, or it fails with a one-line reason and nothing mapped, allocated or armed; the
 * NDIS verifier sees no violation either way.
 */
class HostileConfigSpaceFuzzTest {

    private static final String[] MODELS = {"82574L", "82576", "virtio-net"};

    @FuzzTest
    void anyConfigSpaceInitializesOrFailsCleanly(byte[] input) {
        String model = MODELS[input.length == 0 ? 0 : (input[0] & 0xFF) % MODELS.length];
        try (HostileConfigSpaceTest.Bench b = new HostileConfigSpaceTest.Bench("mock:" + model,
                HostileConfigSpaceTest.driver(model).get())) {
            MockConfigSpace c = b.device.configSpace();
            if (input.length > 1) {
                c.set(MockConfigSpace.CAPABILITIES_POINTER, 1, input[1]);
            }
            for (int i = 2; i < input.length && 0x40 + i - 2 < MockConfigSpace.SIZE; i++) {
                c.set(0x40 + i - 2, 1, input[i]);
            }
            b.add();
            if (b.adapter.initStatus() == NdisStatus.SUCCESS) {
                b.halt();
            } else {
                assertThat(b.initFailure()).as("a reason, on one line").isNotBlank().doesNotContain("\n");
            }
            assertThat(b.adapter.heldResources()).isEmpty();
            assertThat(b.device.dmaAllocator().liveRegions()).isZero();
            assertThat(b.device.configSpace().busMaster()).isFalse();
            assertThat(b.host.verifier().verdict().passed()).as(b.host.verifier().violations().toString()).isTrue();
        }
    }
}
