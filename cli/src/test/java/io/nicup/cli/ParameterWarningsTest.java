package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A parameter file's problems reach the user, not only the trace: each is one warning line naming the
 * keyword, the value, the range and the default used, and --json carries them too.
 */
class ParameterWarningsTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @Test
    void anOutOfRangeValueAMulticastAddressAndAnUnknownKeywordAreEachOneWarning() throws IOException {
        Path params = Files.writeString(dir.resolve("e.params"),
                "*ReceiveBuffers = 3\nNetworkAddress = 010000000001\nBogus = 1\n");
        CliRun r = CliRun.run(env, "bringup", "mock:82574L", "--params", params.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err().lines().toList()).containsExactlyInAnyOrder(
                "nicup: warning: parameter file: *ReceiveBuffers=3 rejected (out of range min=64 max=4096): the driver"
                        + " uses its default 256: file=" + params,
                "nicup: warning: parameter file: NetworkAddress=010000000001 rejected (group (multicast) address): the"
                        + " driver uses its default (none: the permanent address): file=" + params,
                "nicup: warning: parameter file: keyword Bogus is not one the e82574 driver reads: ignored (check its"
                        + " spelling): file=" + params);
    }

    @Test
    void offloadAndRssKeywordsOutOfRangeAreWarningsOnEveryFamily() throws IOException {
        Path params = Files.writeString(dir.resolve("offload.params"),
                "*RSS = 2\n*LsoV2IPv4 = 9\n*TCPChecksumOffloadIPv6 = 4\n*NumRssQueues = 0\n*MaxRssProcessors = 4\n");
        for (String device : new String[] {"mock:82574L", "mock:82576", "mock:virtio-net"}) {
            CliRun r = CliRun.run(env, "bringup", device, "--params", params.toString());

            assertThat(r.exitCode()).as(device + ": " + r.err()).isZero();
            assertThat(r.err().lines().toList()).as(device).containsExactlyInAnyOrder(
                    "nicup: warning: parameter file: *TCPChecksumOffloadIPv6=4 rejected (not one of [0, 1, 2, 3]): the"
                            + " driver uses its default 3: file=" + params,
                    "nicup: warning: parameter file: *LsoV2IPv4=9 rejected (not one of [0, 1]): the driver uses its"
                            + " default 1: file=" + params,
                    "nicup: warning: parameter file: *RSS=2 rejected (not one of [0, 1]): the driver uses its default 1:"
                            + " file=" + params,
                    "nicup: warning: parameter file: *NumRssQueues=0 rejected (out of range min=1 max=16): the driver"
                            + " uses its default 16: file=" + params);
        }
    }

    @Test
    void aByteOrderMarkIsNamedWithTheKeywordItHidesAndJsonCarriesTheWarnings() throws IOException {
        Path params = dir.resolve("bom.params");
        Files.write(params, ("\uFEFF*JumboPacket = 9014\n").getBytes(StandardCharsets.UTF_8));
        CliRun r = CliRun.run(env, "--json", "selftest", "mock:82574L", "--params", params.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("nicup: warning: parameter file: it starts with a UTF-8 byte-order mark, so its"
                + " first keyword *JumboPacket was not read");
        assertThat(r.out()).contains("\"warnings\":[\"parameter file: it starts with a UTF-8 byte-order mark");
    }

    @Test
    void aCleanParameterFileGivesNoWarning() throws IOException {
        Path params = Files.writeString(dir.resolve("ok.params"), "*JumboPacket = 9014\n");
        CliRun r = CliRun.run(env, "--json", "bringup", "mock:82574L", "--params", params.toString());

        assertThat(r.err()).isEmpty();
        assertThat(r.out()).doesNotContain("warnings");
    }
}
