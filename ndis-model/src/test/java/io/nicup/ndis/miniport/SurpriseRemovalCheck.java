package io.nicup.ndis.miniport;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.protocol.FrameEdge;
import java.util.List;

/**
 * The surprise-removal check every family passes: with a device that dies after 5 frames
 * ({@code fault=all-ones@5}) and 100 frames sent, more than the ring holds, nothing the protocol sent is
 * lost or completed twice. What the device wrote back completes SUCCESS, what it held without a
 * write-back FAILURE (it may have reached the wire), what waited in the driver's queue SEND_ABORTED (it
 * never reached the device); the pause completes at once, without NdisMPauseComplete.
 */
public final class SurpriseRemovalCheck {

    private SurpriseRemovalCheck() {
    }

    /**
     * @param bench a Running bench on a spec with {@code fault=all-ones@5}
     * @param mac the adapter's MAC (the frames' source)
     * @param ringHolds how many of the 100 frames the family's transmit ring takes
     * @param why why the ring takes that many, for the failure message
     */
    public static void removeMidSendAndAssertEverySendAccountedFor(MockMiniportBench<?> bench, MacAddress mac,
            int ringHolds, String why) {
        List<byte[]> out = MockMiniportBench.frames(MockMiniportBench.PEER, mac, 100, 64, 0);
        assertThat(FrameEdge.send(bench.host, bench.adapter, bench.sendPool(), out)).isEqualTo(100);
        bench.pump();
        int onWire = bench.wire.captured().size();
        assertThat(onWire).as("the device died after 5 frames").isEqualTo(5);

        bench.host.surpriseRemove(bench.adapter);              // what the PnP manager does

        assertThat(bench.adapter.state()).isEqualTo(AdapterState.HALTED);
        long failure = bench.edge.completedFailure();
        long aborted = bench.edge.completedAborted();
        assertThat(bench.edge.completedOk()).as("confirmed: the frames the device wrote back").isEqualTo(onWire);
        assertThat(failure).as("on the ring without a write-back (%d fit: %s)", ringHolds, why).isEqualTo(ringHolds - onWire);
        assertThat(aborted).as("still in the driver's queue").isEqualTo(100 - ringHolds);
        assertThat(bench.edge.completedFailed()).isEqualTo(failure + aborted);
        int pauseStatus = bench.host.trace().events().stream().filter(e -> e.name().equals("MiniportPause"))
                .reduce((x, y) -> y).orElseThrow().status();
        assertThat(pauseStatus).isEqualTo(NdisStatus.SUCCESS);
        assertThat(bench.host.trace().events()).noneMatch(e -> e.name().equals("NdisMPauseComplete"));
        assertThat(bench.device.dmaAllocator().liveRegions()).isZero();
        assertThat(bench.host.verifier().verdict().passed()).as(bench.host.verifier().violations().toString()).isTrue();
    }
}
