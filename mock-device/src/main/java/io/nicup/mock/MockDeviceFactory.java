package io.nicup.mock;

import java.util.Map;

/**
 * Builds one kind of simulated device. Registered with {@link MockDevices#register}; the 82574L is built
 * in, later models ({@code 82576}, {@code virtio-net}) plug in the same way.
 */
public interface MockDeviceFactory {

    /** The model name in a spec ({@code mock:NAME}), matched case-insensitively. */
    String model();

    /** One line for listings. */
    String description();

    /** Fault names this model accepts, in a stable order, each with a one-line description. */
    Map<String, String> faults();

    /** Parameter names this model accepts (including the common ones), each with a one-line description. */
    Map<String, String> parameters();

    /** Builds a device from a spec that {@link MockDevices} already checked against the two maps above. */
    MockPciDevice open(MockSpec spec);
}
