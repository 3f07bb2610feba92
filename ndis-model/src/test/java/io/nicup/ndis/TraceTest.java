package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.trace.NdisTrace;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The bring-up trace: content, human form, JSON-lines schema. */
class TraceTest {

    private static Rig bringUp() {
        Rig rig = new Rig();
        rig.running();
        rig.send("frame");
        rig.transmitDone();
        rig.receive("answer");
        rig.host().pause(rig.adapter);
        rig.halt();
        rig.host().unloadDriver(rig.driver);
        return rig;
    }

    @Test
    void theTraceHasEveryContractCallStateAndResourceInOrder() {
        try (Rig rig = bringUp()) {
            List<String> names = rig.host().trace().events().stream().map(NdisTrace.Event::name).toList();
            assertThat(names).containsSubsequence("LoadDriver", "DriverEntry", "NdisMRegisterMiniportDriver",
                    "MiniportSetOptions", "AddAdapter", "Halted->Initializing", "MiniportInitializeEx",
                    "NdisMSetMiniportAttributes", "NdisOpenConfigurationEx", "*ReceiveBuffers",
                    "NdisCloseConfiguration", "NdisMMapIoSpace", "IoSpace(BAR0, 131072 bytes)",
                    "NdisMSetMiniportAttributes", "NdisMRegisterScatterGatherDma", "NdisMAllocateSharedMemory",
                    "NdisAllocateNetBufferListPool", "NdisAllocateTimerObject", "NdisMRegisterInterruptEx",
                    "Initializing->Paused", "RestartAdapter", "Paused->Restarting", "MiniportRestart",
                    "Restarting->Running", "PauseAdapter", "Running->Pausing", "MiniportPause", "Pausing->Paused",
                    "DataPath", "HaltAdapter", "Paused->Halted", "MiniportHaltEx", "NdisMDeregisterInterruptEx",
                    "NdisMUnmapIoSpace", "UnloadDriver", "MiniportDriverUnload", "NdisMDeregisterMiniportDriver");
            assertThat(rig.host().trace().events()).allSatisfy(e -> assertThat(e.durationNanos()).isNotNegative());
        }
    }

    @Test
    void eachSharedMemoryAcquireNamesTheDeviceAddressItWasMappedAt() {
        try (Rig rig = bringUp()) {
            List<NdisTrace.Event> shared = rig.host().trace().events().stream()
                    .filter(e -> e.kind() == NdisTrace.Kind.ACQUIRE && e.name().startsWith("SharedMemory(")).toList();
            assertThat(shared).isNotEmpty().allSatisfy(e -> assertThat(e.detail())
                    .containsEntry("kind", "shared_memory").containsKey("bytes")
                    .hasEntrySatisfying("iova", iova -> assertThat(iova).matches("0x[0-9a-f]+")));
            assertThat(shared.stream().map(e -> e.detail().get("iova"))).doesNotHaveDuplicates();
        }
    }

    @Test
    void theDataPathIsTracedAsCountersNotPackets() {
        try (Rig rig = new Rig()) {
            rig.running();
            int before = rig.host().trace().events().size();
            for (int i = 0; i < 50; i++) {
                rig.send("frame " + i);
                rig.transmitDone();
                rig.receive("reply " + i);
            }
            assertThat(rig.host().trace().events().size()).isEqualTo(before);
            rig.host().pause(rig.adapter);
            NdisTrace.Event counters = rig.host().trace().events().stream()
                    .filter(e -> e.kind() == NdisTrace.Kind.COUNTERS).reduce((x, y) -> y).orElseThrow();
            assertThat(counters.detail()).containsEntry("sends", "50").containsEntry("sends_completed", "50")
                    .containsEntry("received_nbls", "50").containsEntry("returned_nbls", "50")
                    .containsEntry("dpc_calls", "100");
        }
    }

    @Test
    void durationsAndTimestampsComeFromTheDeviceClock() {
        try (Rig rig = new Rig()) {
            rig.running();
            rig.idle(Duration.ofSeconds(3));
            rig.host().pause(rig.adapter);
            List<NdisTrace.Event> events = rig.host().trace().events();
            NdisTrace.Event restart = events.stream().filter(e -> e.name().equals("RestartAdapter")).findFirst().orElseThrow();
            NdisTrace.Event pause = events.stream().filter(e -> e.name().equals("PauseAdapter")).findFirst().orElseThrow();
            assertThat(pause.timestampNanos() - restart.timestampNanos()).isGreaterThanOrEqualTo(3_000_000_000L);
        }
    }

    private static final Pattern JSON_LINE = Pattern.compile(
            "\\{\"seq\":\\d+,\"t_ns\":\\d+,\"dur_ns\":-?\\d+,\"depth\":\\d+,"
            + "\"kind\":\"(call|state|acquire|release|config|violation|counters|indication)\","
            + "\"dir\":\"(host->ndis|ndis->miniport|miniport->ndis|ndis->protocol|)\",\"name\":\"[^\"]+\","
            + "\"driver\":\"[^\"]*\",\"adapter\":\"[^\"]*\",(\"status\":\"0x[0-9A-F]{8}\",\"status_name\":\"[^\"]+\",)?"
            + "\"thread\":\"[^\"]*\",\"detail\":\\{(\"[^\"]+\":\"(\\\\.|[^\"\\\\])*\",?)*}}");

    @Test
    void everyJsonLineFollowsTheDocumentedSchema() {
        try (Rig rig = bringUp()) {
            StringBuilder out = new StringBuilder();
            rig.host().trace().writeJsonLines(out);
            String[] lines = out.toString().split("\n");
            assertThat(lines).hasSize(rig.host().trace().events().size());
            for (int i = 0; i < lines.length; i++) {
                assertThat(lines[i]).matches(JSON_LINE).startsWith("{\"seq\":" + i + ",");
            }
            assertThat(out.toString()).contains("\"name\":\"MiniportInitializeEx\"")
                    .contains("\"status\":\"0x00000000\",\"status_name\":\"NDIS_STATUS_SUCCESS\"");
        }
    }

    @Test
    void jsonStringsAreEscaped() {
        NdisTrace.Event e = new NdisTrace.Event(0, 1, 2, 0, NdisTrace.Kind.CONFIG, NdisTrace.Direction.NONE,
                "a\"b\\c\n", "", "", NdisTrace.NO_STATUS, java.util.Map.of("k", "v\t\u0001"), "main");
        assertThat(NdisTrace.toJson(e)).contains("\"name\":\"a\\\"b\\\\c\\n\"").contains("\"k\":\"v\\t\\u0001\"")
                .doesNotContain("status");
    }

    @Test
    void theHumanFormShowsTimesDirectionsNamesAndStatusNames() {
        try (Rig rig = bringUp()) {
            String human = rig.host().trace().toHumanString();
            assertThat(human).contains("ndis->miniport").contains("MiniportInitializeEx")
                    .contains("NDIS_STATUS_SUCCESS").contains("state Paused->Restarting").contains("0000:01:00.0");
            assertThat(human.lines().findFirst().orElseThrow()).startsWith("      0.000 ms");
        }
    }

    @Test
    void aViolationAppearsInTheTraceWithItsRule() {
        try (Rig rig = new Rig().record()) {
            rig.sw.ndisVersion = new NdisVersion(6, 99);
            rig.load();
            assertThat(rig.host().trace().events()).anySatisfy(e -> {
                assertThat(e.kind()).isEqualTo(NdisTrace.Kind.VIOLATION);
                assertThat(e.name()).isEqualTo("DRV-01 DRV_VERSION");
                assertThat(e.detail()).containsEntry("detail", "ndis_version=6.99");
            });
        }
    }

    @Test
    void aFullTraceKeepsTheFirstEventsAndCountsTheRest() {
        try (Rig rig = new Rig()) {
            rig.options = rig.options.withTraceCapacity(10);
            rig.running();
            assertThat(rig.host().trace().events()).hasSize(10);
            assertThat(rig.host().trace().dropped()).isPositive();
            assertThat(rig.host().trace().toHumanString()).contains("events dropped");
        }
    }
}
