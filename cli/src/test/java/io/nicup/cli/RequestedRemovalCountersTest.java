package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A device the kernel asks back ({@code fault=removal-request}) is still there until nicup releases it
 * (docs/ndis-contract.md §22): the counters the summaries print are the ones it counted, read in the removal's
 * pause, not "unknown" as for a device that vanished ({@code fault=all-ones}, {@link HonestNumbersTest}).
 */
class RequestedRemovalCountersTest {

    private static final String ASKED_BACK = "nicup: device removed: the kernel asked for it back";

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path tmp;

    private Path broadcasts(int n) {
        Path in = tmp.resolve("in" + n + ".pcap");
        List<byte[]> frames = new ArrayList<>();
        io.nicup.ndis.MacAddress all = io.nicup.ndis.MacAddress.parse("ff:ff:ff:ff:ff:ff");
        for (int i = 0; i < n; i++) {
            frames.add(Traffic.frame(all, all, 64, i));
        }
        TrafficCommandsTest.writePcap(in, frames);
        return in;
    }

    @ParameterizedTest
    @ValueSource(strings = {"82574L", "82576"})
    void statsAfterTheKernelsRequestShowsWhatTheDeviceCountedAndExits8(String model) {
        Path in = broadcasts(20);
        CliRun text = CliRun.run(env, "stats", "mock:" + model + "?fault=removal-request", "--inject", in.toString());
        CliRun json = CliRun.run(env, "--json", "stats", "mock:" + model + "?fault=removal-request", "--inject",
                in.toString());

        assertThat(text.exitCode()).as(text.out() + text.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(text.err()).contains(ASKED_BACK);
        assertThat(text.out()).as("the 20 broadcasts the simulated NIC received")
                .containsPattern("ifHCInBroadcastPkts +20\\b").containsPattern("GPRC +20\\b").containsPattern("BPRC +20\\b")
                .doesNotContain("unknown");
        assertThat(json.out()).contains("\"ifHCInBroadcastPkts\":20", "\"GPRC\":20", "\"device_removed\":true")
                .doesNotContain("null");
    }

    @Test
    void statsOnAVanishedDeviceStillSaysUnknown() {
        CliRun r = CliRun.run(env, "stats", "mock:82574L?fault=all-ones@5", "--inject", broadcasts(20).toString());

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err()).startsWith("nicup: device removed: it reads all-ones");
        assertThat(r.out()).containsPattern("ifHCInBroadcastPkts +unknown").containsPattern("GPRC +unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"82574L", "virtio-net"})
    void recvAfterTheKernelsRequestPrintsTheDevicesErrorsAndDropsNotUnknown(String model) {
        CliRun json = CliRun.run(env, "--json", "recv", "mock:" + model + "?fault=removal-request", "--pcap",
                tmp.resolve("r.pcap").toString(), "--inject", broadcasts(20).toString(), "--promiscuous");

        assertThat(json.exitCode()).as(json.out() + json.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(json.err()).contains("device removed: the kernel asked for it back");
        assertThat(json.out()).contains("\"frames\":20", "\"errors\":0", "\"drops\":0", "\"device_removed\":true");
    }

    @Test
    void recvAfterTheKernelsRequestCountsTheErrorTheDeviceHad() {
        Path in = tmp.resolve("five.pcap");
        TrafficCommandsTest.writePcap(in, TrafficCommandsTest.frames("52:54:00:12:34:57", 5, 100));
        CliRun r = CliRun.run(env, "recv", "mock:virtio-net?fault=rx-length-zero@2,removal-request", "--pcap",
                tmp.resolve("r.pcap").toString(), "--inject", in.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.out()).contains("received 4 frames", "1 errors, 0 drops");
    }

    /**
     * The link drops after 100 frames and comes back; the kernel asks after 150 on the wire. What completed
     * while the link was down is "lost while the link was down", judged by the counters read in the removal's
     * pause: before, they were not read and the frames the wire never saw were counted as sent.
     */
    @ParameterizedTest
    @ValueSource(strings = {"82574L", "82576", "virtio-net"})
    void sendAfterTheKernelsRequestCountsAsSentOnlyWhatReachedTheWire(String model) {
        CliRun r = CliRun.run(env, "--json", "send", "mock:" + model + "?fault=link-flap@100,removal-request@150",
                "--count", "2000", "--size", "64", "--dst", "02:00:00:00:00:01");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err()).contains("device removed: the kernel asked for it back");
        RemovalAccounting.Counts c = RemovalAccounting.fromJson(r.out());
        assertThat(c.frames()).as(r.out()).isEqualTo(field(r.out(), "wire_frames"));
        long lost = field(r.out(), "lost");
        assertThat(lost).as(r.out()).isPositive();
        assertThat(c.sum() + lost).as("every frame counted once: %s\n%s", c, r.out()).isEqualTo(2000);
        assertThat(c.errors()).as(r.out()).isZero();
    }

    private static long field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
