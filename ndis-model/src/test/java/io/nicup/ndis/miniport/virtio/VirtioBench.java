package io.nicup.ndis.miniport.virtio;

import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;

/** The virtio-net miniport on {@code mock:virtio-net}: see {@link MockMiniportBench}. */
final class VirtioBench extends MockMiniportBench<MiniportVirtioNet> {

    static final MacAddress MAC = MacAddress.of(VirtioNetModel.DEFAULT_MAC);

    VirtioBench(String spec, String parameters) {
        super(spec, parameters, new MiniportVirtioNet(), 2048);
    }

    VirtioBench(String spec) {
        this(spec, "");
    }

    VirtioBench() {
        this("mock:virtio-net");
    }

    VirtioNetModel model() {
        return device.model(VirtioNetModel.class);
    }

    VirtioNetAdapter nic() {
        return driver.adapter(adapter);
    }

    VirtioNetDiagnostics diagnostics() {
        return driver.diagnostics(host, adapter);
    }

    NdisStatisticsInfo statistics() {
        OidResult r = host.query(adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
        if (r.status() != NdisStatus.SUCCESS) {
            throw new AssertionError("OID_GEN_STATISTICS: " + NdisStatus.name(r.status()));
        }
        return NdisStatisticsInfo.read(r.request().informationBuffer(), 0);
    }
}
