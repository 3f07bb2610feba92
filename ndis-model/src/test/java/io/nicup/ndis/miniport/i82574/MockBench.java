package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.intel.IntelAdapter;

/** The 82574L miniport on the behavioural mock ({@code mock:82574L}): see {@link MockMiniportBench}. */
final class MockBench extends MockMiniportBench<Miniport82574> {

    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    MockBench(String spec, String parameters) {
        super(spec, parameters, new Miniport82574(), 16384);
    }

    MockBench() {
        this("mock:82574L", "");
    }

    IntelAdapter<Chip82574> nic() {
        return driver.adapter(adapter);
    }

    int readRegister(int offset) {
        return device.bar(0).read32(offset);
    }
}
