package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
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

    /** OID_GEN_STATISTICS as NDIS answers it; fails the test unless the query succeeds. */
    NdisStatisticsInfo statistics() {
        OidResult r = host.query(adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
        if (r.status() != NdisStatus.SUCCESS) {
            throw new AssertionError("OID_GEN_STATISTICS: " + NdisStatus.name(r.status()));
        }
        return NdisStatisticsInfo.read(r.request().informationBuffer(), 0);
    }
}
