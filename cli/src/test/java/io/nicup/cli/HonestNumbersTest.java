package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every number nicup prints is true: a counter read from a device that went away (it answers every read
 * with all-ones) is unknown, never an all-ones count, and no count is ever negative.
 */
class HonestNumbersTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path tmp;

    private Path twentyBroadcasts() {
        Path in = tmp.resolve("in.pcap");
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(Traffic.frame(ffff(), ffff(), 64, i));
        }
        TrafficCommandsTest.writePcap(in, frames);
        return in;
    }

    private static io.nicup.ndis.MacAddress ffff() {
        return io.nicup.ndis.MacAddress.parse("ff:ff:ff:ff:ff:ff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"82574L", "82576"})
    void recvAfterARemovalSaysItsErrorsAndDropsAreUnknown(String model) {
        Path in = twentyBroadcasts();
        CliRun text = CliRun.run(env, "recv", "mock:" + model + "?fault=all-ones@5", "--pcap",
                tmp.resolve("r.pcap").toString(), "--inject", in.toString());
        CliRun json = CliRun.run(env, "--json", "recv", "mock:" + model + "?fault=all-ones@5", "--pcap",
                tmp.resolve("j.pcap").toString(), "--inject", in.toString());

        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(text.out()).contains("unknown errors, unknown drops");
        assertThat(json.out()).contains("\"errors\":null", "\"drops\":null", "\"device_removed\":true");
        assertNoImpossibleCount(text.out().replace(tmp.toString(), "TMP"));
        assertNoImpossibleCount(json.out().replace(tmp.toString(), "TMP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"82574L", "82576"})
    void statsAfterARemovalShowsTheDevicesCountersAsUnknownAndExits8(String model) {
        Path in = twentyBroadcasts();
        CliRun text = CliRun.run(env, "stats", "mock:" + model + "?fault=all-ones@5", "--inject", in.toString());
        CliRun json = CliRun.run(env, "--json", "stats", "mock:" + model + "?fault=all-ones@5", "--inject", in.toString());

        assertThat(text.exitCode()).as(text.out() + text.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(text.err()).startsWith("nicup: device removed");
        assertThat(text.out()).containsPattern("ifHCInUcastPkts +unknown").containsPattern("GPRC +unknown");
        assertThat(json.out()).contains("\"ifHCInUcastPkts\":null", "\"GPRC\":null", "\"device_removed\":true");
        assertNoImpossibleCount(text.out());
        assertNoImpossibleCount(json.out());
    }

    /** No negative number and none of the all-ones patterns a removed device's 32-bit registers give. */
    static void assertNoImpossibleCount(String out) {
        Matcher m = Pattern.compile("(?<![\\w.:x])-?\\d+").matcher(out);
        while (m.find()) {
            long n = Long.parseLong(m.group());
            assertThat(n).as("a count in %s", out).isNotNegative();
            assertThat(n % 0xFFFF_FFFFL == 0 && n > 0).as("%d is an all-ones reading in %s", n, out).isFalse();
        }
    }
}
