package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.vfio.DeviceClock;
import java.util.function.UnaryOperator;

/** The 82576 miniport on the behavioural mock ({@code mock:82576}): see {@link MockMiniportBench}. */
final class MockBench extends MockMiniportBench<Miniport82576> {

    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    MockBench(String spec, String parameters) {
        super(spec, parameters, new Miniport82576(), 16384);
    }

    MockBench(String spec, String parameters, UnaryOperator<DeviceClock> hostClock) {
        super(spec, parameters, new Miniport82576(), 16384, hostClock);
    }

    MockBench() {
        this("mock:82576", "");
    }

    IntelAdapter<Chip82576> nic() {
        return driver.adapter(adapter);
    }

    int readRegister(int offset) {
        return device.bar(0).read32(offset);
    }
}
