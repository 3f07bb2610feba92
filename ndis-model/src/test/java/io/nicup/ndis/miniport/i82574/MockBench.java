package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;

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

    /** The adapter's GEN_STATISTICS; the query must succeed. */
    static NdisStatisticsInfo statistics(MockBench b) {
        OidResult r = b.host.query(b.adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
        assertThat(r.status()).isEqualTo(NdisStatus.SUCCESS);
        return NdisStatisticsInfo.read(r.request().informationBuffer(), 0);
    }
}
