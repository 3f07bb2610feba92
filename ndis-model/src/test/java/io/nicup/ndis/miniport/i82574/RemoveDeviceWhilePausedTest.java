package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NdisHost.removeDevice with a last look (docs/ndis-contract.md §22): the device the kernel asked back is still
 * there, so between the removal's pause and MiniportHaltEx its counters can be read and are the true ones.
 */
class RemoveDeviceWhilePausedTest {

    @Test
    void theLastLookRunsPausedBeforeTheHaltAndReadsWhatTheDeviceSent() {
        try (MockBench b = new MockBench("mock:82574L", "")) {
            b.running();
            FrameEdge.send(b.host, b.adapter, b.sendPool(), MockBench.frames(MockBench.PEER, MockBench.MAC, 20, 64, 0));
            b.device.removalRequest().raise();
            List<Object> seen = new ArrayList<>();

            b.host.removeDevice(b.adapter, () -> {
                seen.add(b.adapter.state());
                seen.add(b.edge.completedOk());
                OidResult r = b.host.query(b.adapter, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
                assertThat(r.status()).isEqualTo(NdisStatus.SUCCESS);
                seen.add(NdisStatisticsInfo.read(r.request().informationBuffer(), 0).ifHCOutUcastPkts());
                seen.add(b.host.trace().toHumanString().contains("MiniportHaltEx"));
            });

            assertThat(seen).as("Paused, every send completed by the pause, the device's count, not yet halted")
                    .containsExactly(AdapterState.PAUSED, 20L, 20L, false);
            assertThat(b.adapter.state()).isEqualTo(AdapterState.HALTED);
            assertThat(b.host.trace().toHumanString()).contains("NdisHaltDeviceDisabled");
        }
    }
}
