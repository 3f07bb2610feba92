package io.nicup.cli;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDeviceFactory;
import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.MockSpec;
import io.nicup.mock.e82574.E82574Factory;
import java.util.Map;

/**
 * A simulated device nicup has no miniport for: the 82574L model answering as an Intel 82540EM
 * (8086:100E, QEMU's plain e1000), registered as {@code mock:82540EM} for the tests of exit 4.
 */
final class UnsupportedModel implements MockDeviceFactory {

    static final int DEVICE_ID = 0x100E;
    private static final E82574Factory BASE = new E82574Factory();

    static synchronized void register() {
        if (!MockDevices.models().contains("82540EM")) {
            MockDevices.register(new UnsupportedModel());
        }
    }

    @Override
    public String model() {
        return "82540EM";
    }

    @Override
    public String description() {
        return "an 82540EM nicup has no driver for (tests only)";
    }

    @Override
    public Map<String, String> faults() {
        return Map.of();
    }

    @Override
    public Map<String, String> parameters() {
        return MockDevices.COMMON_PARAMETERS;
    }

    @Override
    public MockPciDevice open(MockSpec spec) {
        MockPciDevice device = BASE.open(spec);
        ((MockConfigSpace) device.config()).set(MockConfigSpace.DEVICE_ID, 2, DEVICE_ID);
        return device;
    }
}
