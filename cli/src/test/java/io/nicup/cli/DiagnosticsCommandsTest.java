package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `nicup selftest`, `regs` and `stats` on the simulated 82574L. */
class DiagnosticsCommandsTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @Test
    void selftestPassesEveryOfflineTestWithItsReason() {
        CliRun r = CliRun.run(env, "selftest", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence("register", "PASS", "nvm", "PASS", "0xBABA", "interrupt", "PASS",
                "phy-loopback", "PASS", "64 frames", "mac-loopback", "PASS", "link", "PASS", "1000 Mb/s");
        assertThat(r.out()).contains("selftest: all 6 tests passed");
    }

    @Test
    void selftestWithTheLinkDownFailsWithExit9NamingTheLinkTest() {
        CliRun r = CliRun.run(env, "selftest", "mock:82574L?fault=link-down");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).containsPattern("link +FAIL +STATUS.LU not set");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("self-test failed", "link");
    }

    @Test
    void selftestJsonListsEachTestWithOutcomeAndReason() {
        CliRun r = CliRun.run(env, "--json", "selftest", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("{\"name\":\"nvm\",\"outcome\":\"PASS\",\"reason\":", "\"passed\":true");
    }

    @Test
    void regsDumpsNamedRegistersWithDecodedFields() {
        CliRun r = CliRun.run(env, "regs", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("CTRL ", "SLU", "STATUS ", " LU", "RCTL ", " EN", "BAM", "BSIZE=2048", "TCTL",
                "RAH0", "mac=52:54:00:12:34:56");
    }

    @Test
    void regsJsonGivesNameOffsetValueAndDecodedFields() {
        CliRun r = CliRun.run(env, "--json", "regs", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("{\"name\":\"CTRL\",\"offset\":\"0x00000\",\"value\":\"0x", "\"name\":\"RCTL\"");
    }

    @Test
    void statsAfterInjectedTrafficCountTheFramesInTheOidAndTheChip(@TempDir Path dir) {
        Path frames = dir.resolve("frames.pcap");
        TrafficCommandsTest.writePcap(frames, TrafficCommandsTest.frames("ff:ff:ff:ff:ff:ff", 25, 100));
        CliRun r = CliRun.run(env, "stats", "mock:82574L", "--inject", frames.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("ifHCInBroadcastPkts +25").containsPattern("ifHCInOctets +2600")
                .containsPattern("GPRC +25").containsPattern("BPRC +25").containsPattern("rx_indicated +25")
                .containsPattern("ifHCOutUcastPkts +0");
    }

    @Test
    void statsOnAFreshBringupAreZeroInJson() {
        CliRun r = CliRun.run(env, "--json", "stats", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"ifHCInUcastPkts\":0", "\"GPRC\":0", "\"tx_completed\":0");
    }
}
