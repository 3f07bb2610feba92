package io.nicup.mock;

import io.nicup.vfio.DeviceAccessException;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MockDevicesTest {

    private static void assertInvalid(String spec, String messagePart, String remedyPart) {
        assertThatThrownBy(() -> MockDevices.open(spec)).isInstanceOfSatisfying(DeviceAccessException.class, e -> {
            assertThat(e.reason()).isEqualTo(DeviceAccessException.Reason.INVALID_ARGUMENT);
            assertThat(e.getMessage()).contains(messagePart);
            assertThat(e.remedy()).contains(remedyPart);
        });
    }

    @Test
    void shouldOpenTheDefaultModel() {
        try (MockPciDevice dev = MockDevices.open("mock:82574L")) {
            assertThat(dev.model().name()).isEqualTo("82574L");
            assertThat(dev.spec().faults()).isEmpty();
            assertThat(dev.description()).isEqualTo("mock 82574L 52:54:00:12:34:56");
        }
        try (MockPciDevice dev = MockDevices.open("MOCK:82574l")) {
            assertThat(dev.model().name()).isEqualTo("82574L");
        }
    }

    @Test
    void shouldParseMacFaultsAndCounts() {
        MockSpec spec = MockDevices.parse(
                "mock:82574L?mac=02:00:00:00:00:01&fault=tx-hang,link-flap@7&after=100&address=0000:03:00.0");
        assertThat(spec.model()).isEqualTo("82574L");
        assertThat(spec.mac(new byte[6])).containsExactly(2, 0, 0, 0, 0, 1);
        assertThat(spec.faults()).containsExactly(new FaultRequest("tx-hang", OptionalLong.of(100)),
                new FaultRequest("link-flap", OptionalLong.of(7)));
        assertThat(spec.params()).containsEntry("after", "100").doesNotContainKey("fault");
        assertThat(spec.address(null).toString()).isEqualTo("0000:03:00.0");
        assertThat(spec.fault("tx-hang").orElseThrow().afterOr(5)).isEqualTo(100);
        assertThat(MockDevices.parse("mock:82574L?fault=rx-length").fault("rx-length").orElseThrow().afterOr(5))
                .isEqualTo(5);
    }

    @Test
    void shouldRejectMistakesListingTheChoices() {
        assertInvalid("mock:82599", "model=82599", "mock:82574L");
        assertInvalid("mock:", "names no model", "82574L");
        assertInvalid("vfio:0000:01:00.0", "not a mock device spec", "mock:MODEL");
        assertInvalid("mock:82574L?speed=10", "key=speed", "mac");
        assertInvalid("mock:82574L?fault=melt", "fault=melt", "tx-hang");
        assertInvalid("mock:82574L?fault=", "malformed mock parameter", "key=value");
        assertInvalid("mock:82574L?fault=tx-hang,,rx-length", "fault=(empty)", "reset-stuck");
        assertInvalid("mock:82574L?mac=02:00:00:00:00", "malformed MAC", "six hex octets");
        assertInvalid("mock:82574L?mac=01:00:00:00:00:01", "multicast", "bit 0");
        assertInvalid("mock:82574L?fault=tx-hang&after=-1", "after=-1", "decimal");
        assertInvalid("mock:82574L?fault=tx-hang@x", "tx-hang=x", "decimal");
        assertInvalid("mock:82574L?mac=02:00:00:00:00:01&mac=02:00:00:00:00:02", "given twice", "once");
        assertInvalid("mock:82574L?mac", "malformed mock parameter", "key=value");
        assertInvalid("mock:82574L?", "malformed mock parameter", "key=value");
        assertInvalid("mock:82574L?address=1:2:3", "malformed PCI address", "DDDD:BB:DD.F");
    }

    @Test
    void shouldDescribeModelsWithTheirFaults() {
        assertThat(MockDevices.models()).contains("82574L");
        String text = MockDevices.describeModels();
        for (String fault : new String[] {"reset-stuck", "nvm-autoread-stuck", "nvm-checksum", "eerd-stuck",
            "mdic-error", "link-down", "link-flap", "tx-hang", "rx-length", "all-ones", "irq-storm", "dma-fault"}) {
            assertThat(text).contains(fault + ":");
        }
    }

    @Test
    void shouldLetAnotherModelPlugIn() {
        MockDeviceFactory fake = new MockDeviceFactory() {
            @Override
            public String model() {
                return "test-nic";
            }

            @Override
            public String description() {
                return "a model that only exists in this test";
            }

            @Override
            public Map<String, String> faults() {
                return Map.of("wobble", "it wobbles");
            }

            @Override
            public Map<String, String> parameters() {
                return MockDevices.COMMON_PARAMETERS;
            }

            @Override
            public MockPciDevice open(MockSpec spec) {
                throw new UnsupportedOperationException("opened " + spec.faults());
            }
        };
        MockDevices.register(fake);
        assertThat(MockDevices.models()).contains("test-nic");
        assertThat(MockDevices.parse("mock:TEST-NIC?fault=wobble").model()).isEqualTo("test-nic");
        assertThatThrownBy(() -> MockDevices.open("mock:test-nic?fault=wobble@3"))
                .hasMessage("opened [wobble@3]");
        assertThatThrownBy(() -> MockDevices.register(fake)).isInstanceOf(IllegalArgumentException.class);
        assertInvalid("mock:test-nic?fault=tx-hang", "fault=tx-hang", "wobble");
    }
}
