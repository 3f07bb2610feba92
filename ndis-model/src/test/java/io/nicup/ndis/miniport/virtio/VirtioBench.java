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
        this(spec, parameters, 2048);
    }

    /** @param sendBufferSize bytes per send buffer: a large send needs up to 65549 */
    VirtioBench(String spec, String parameters, int sendBufferSize) {
        super(spec, parameters, new MiniportVirtioNet(), sendBufferSize);
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
