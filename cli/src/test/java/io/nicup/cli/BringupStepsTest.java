package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.trace.NdisTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bringup --hold lists NDIS's periodic CheckForHang as one row with its count, not one row every 2 s. */
class BringupStepsTest {

    private static NdisTrace.Event call(long seq, String name) {
        return new NdisTrace.Event(seq, seq * 1000, 1000, 1, NdisTrace.Kind.CALL, NdisTrace.Direction.NDIS_TO_MINIPORT,
                name, "e1000", "0", NdisStatus.SUCCESS, Map.of(), "main");
    }

    @Test
    void threeHundredCheckForHangCallsAreOneRowWithTheirCount() {
        List<NdisTrace.Event> events = new ArrayList<>(List.of(call(0, "MiniportInitializeEx"), call(1, "MiniportRestart")));
        for (int i = 0; i < 300; i++) {
            events.add(call(2 + i, BringupReport.CHECK_FOR_HANG));
        }
        events.add(call(400, "MiniportPause"));

        List<BringupReport.Step> steps = BringupReport.steps(events);

        assertThat(steps).extracting(BringupReport.Step::label).containsExactly("MiniportInitializeEx", "MiniportRestart",
                "MiniportCheckForHangEx (x300)", "MiniportPause");
        assertThat(steps.get(2).durationNanos()).isEqualTo(300_000);
        assertThat(steps.get(2).json()).containsEntry("calls", 300);
        assertThat(steps.get(0).json()).doesNotContainKey("calls");
    }
}
