package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every command on the simulated 82576 ({@code mock:82576}), as the user sees it: what is printed and the
 * exit codes, including the failure paths of every fault that applies.
 */
class Igb82576CommandsTest {

    private static final String DEV = "mock:82576";
    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @Test
    void infoShowsAnIntel82576WithItsCapabilities() {
        CliRun r = CliRun.run(env, "info", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("8086:10c9", "MSI-X", "82576");
    }

    @Test
    void bringupRunsTheWholeSequenceWithTheE82576DriverAndAPassingVerdict(@TempDir Path tmp) throws Exception {
        Path trace = tmp.resolve("bringup.jsonl");
        CliRun r = CliRun.run(env, "bringup", DEV, "--trace", trace.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence("DriverEntry", "NdisMRegisterMiniportDriver", "MiniportInitializeEx",
                "MiniportOidRequest", "MiniportRestart", "MiniportPause", "MiniportHaltEx", "MiniportDriverUnload",
                "NdisMDeregisterMiniportDriver");
        assertThat(r.out()).contains("mac 52:54:00:12:34:56", "link up 1000 Mb/s full duplex", "mtu 1500",
                "verifier (RECORD): passed, no violations", "bringup: ok");
        assertThat(Files.readString(trace)).contains("\"kind\":\"call\"", "e82576");
    }

    @Test
    void bringupInJsonReportsTheMacGivenInTheSpec() {
        CliRun r = CliRun.run(env, "--json", "bringup", DEV + "?mac=02:00:00:00:00:01");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"mac\":\"02:00:00:00:00:01\"", "\"link\":\"up\"", "\"passed\":true",
                "\"result\":\"ok\"");
    }

    @Test
    void aParameterFileChangesTheMtu() throws Exception {
        Path params = Files.writeString(dir.resolve("e82576.params"), "*JumboPacket = 9014\n");
        CliRun r = CliRun.run(env, "bringup", DEV, "--params", params.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("mtu 9000");
    }

    @Test
    void selftestPassesEveryTestThatAppliesToThe82576() {
        CliRun r = CliRun.run(env, "selftest", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence("register", "PASS", "nvm", "PASS", "0xBABA", "interrupt", "PASS",
                "MSIX", "vector2(LSC)", "phy-loopback", "PASS", "64 frames", "mac-loopback", "PASS", "link", "PASS",
                "1000 Mb/s");
        assertThat(r.out()).contains("selftest: all 6 tests passed");
    }

    @Test
    void selftestInJsonListsEachTest() {
        CliRun r = CliRun.run(env, "--json", "selftest", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("{\"name\":\"nvm\",\"outcome\":\"PASS\",\"reason\":", "\"passed\":true");
    }

    @Test
    void selftestInPollingModeSkipsTheInterruptTestAndStillPasses() throws Exception {
        Path params = Files.writeString(dir.resolve("poll.params"), "InterruptMode = 4\n");
        CliRun r = CliRun.run(env, "selftest", DEV, "--params", params.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("interrupt +SKIPPED +polling mode");
    }

    @Test
    void regsDumpsThe82576RegistersWithDecodedFields() {
        CliRun r = CliRun.run(env, "regs", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("CTRL ", "SLU", "STATUS ", " LU", "GPIE", "MSIX_MODE", "EIMS", "IVAR0",
                "RXQ0->0 TXQ0->1", "IVAR_MISC", "OTHER->2", "SRRCTL0", "BSIZEPKT=2048 DESCTYPE=ADV_ONEBUF", "RXDCTL0",
                "TXDCTL0", "ENABLE", "RLPML", "max_frame=1522", "RAH0", "mac=52:54:00:12:34:56");
    }

    @Test
    void regsInJsonGivesNameOffsetValueAndDecodedFields() {
        CliRun r = CliRun.run(env, "--json", "regs", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("{\"name\":\"CTRL\",\"offset\":\"0x00000\",\"value\":\"0x", "\"name\":\"SRRCTL0\"");
    }

    @Test
    void statsAfterInjectedTrafficCountTheFramesInTheOidTheChipAndTheDriver() {
        Path frames = dir.resolve("frames.pcap");
        TrafficCommandsTest.writePcap(frames, TrafficCommandsTest.frames("ff:ff:ff:ff:ff:ff", 25, 100));
        CliRun r = CliRun.run(env, "stats", DEV, "--inject", frames.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("ifHCInBroadcastPkts +25").containsPattern("ifHCInOctets +2600")
                .containsPattern("GPRC +25").containsPattern("BPRC +25").containsPattern("rx_indicated +25")
                .containsPattern("ifHCOutUcastPkts +0");
    }

    @Test
    void statsOnAFreshBringupAreZeroInJson() {
        CliRun r = CliRun.run(env, "--json", "stats", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"ifHCInUcastPkts\":0", "\"GPRC\":0", "\"tx_completed\":0");
    }

    @Test
    void sendPutsGeneratedFramesOnTheWire() {
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", DEV, "--count", "10", "--size", "64", "--dst", "02:00:00:00:00:02",
                "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sent 10 frames, 640 bytes", "0 errors, 0 drops", "mock wire: 10 frames captured");
        List<byte[]> wire = TrafficCommandsTest.readPcap(capture);
        assertThat(wire).hasSize(10).allMatch(f -> f.length == 64);
        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(wire.get(0), 6, 12))).isEqualTo(MacAddress.parse("52:54:00:12:34:56"));
    }

    @Test
    void sendFromAPcapSendsItsFramesByteForByte() {
        Path in = dir.resolve("in.pcap");
        Path capture = dir.resolve("wire.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames("02:00:00:00:00:09", 20, 300);
        frames.add(TrafficCommandsTest.frames("02:00:00:00:00:09", 1, 1514).get(0));
        TrafficCommandsTest.writePcap(in, frames);
        CliRun r = CliRun.run(env, "--json", "send", DEV, "--pcap", in.toString(), "--rate", "1000",
                "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"frames\":21", "\"errors\":0", "\"wire_frames\":21");
        assertThat(TrafficCommandsTest.readPcap(capture)).containsExactlyElementsOf(frames);
    }

    @Test
    void recvWritesTheInjectedFramesByteForByteAndStopsAfterCount() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        List<byte[]> frames = new ArrayList<>(TrafficCommandsTest.frames("52:54:00:12:34:56", 40, 128));
        frames.addAll(TrafficCommandsTest.frames("ff:ff:ff:ff:ff:ff", 10, 1514));
        TrafficCommandsTest.writePcap(inject, frames);
        CliRun r = CliRun.run(env, "recv", DEV, "--pcap", out.toString(), "--inject", inject.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("received 50 frames, " + (40 * 128 + 10 * 1514) + " bytes", "0 errors, 0 drops");
        assertThat(TrafficCommandsTest.readPcap(out)).containsExactlyElementsOf(frames);

        CliRun four = CliRun.run(env, "recv", DEV, "--pcap", dir.resolve("four.pcap").toString(), "--inject",
                inject.toString(), "--count", "4");
        assertThat(four.exitCode()).as(four.err()).isZero();
        assertThat(TrafficCommandsTest.readPcap(dir.resolve("four.pcap"))).containsExactlyElementsOf(frames.subList(0, 4));
    }

    @Test
    void loopbackBringsEveryFrameBackIdenticalThroughThePhy() {
        CliRun r = CliRun.run(env, "loopback", DEV, "--count", "100", "--size", "1514");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("looped back 100 frames, 151400 bytes", "0 errors, 0 drops",
                "loopback: all 100 frames came back identical");
    }

    // ---- faults at the command line -------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reset-stuck, CTRL.RST",
        "nvm-autoread-stuck, EECD.AUTO_RD",
        "nvm-checksum, 0xBABA",
        "eerd-stuck, EERD.DONE",
        "mdic-error, MDIC",
        "mdic-stuck, MDIC.READY"})
    void initializationFaultsFailBringupWithExit8NamingTheRegisterAndLeaveNothing(String fault, String named) {
        CliRun r = CliRun.run(env, "bringup", DEV + "?fault=" + fault);

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nicup: initialization failed").contains(named);
        assertThat(r.out()).contains("NdisMDeregisterMiniportDriver", "no violations", "bringup: FAILED");
    }

    @Test
    void aDeviceThatReadsAllOnesIsAHardwareFailure() {
        CliRun r = CliRun.run(env, "bringup", DEV + "?fault=all-ones");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("all-ones", "surprise removal");
    }

    @Test
    void linkDownBringsTheAdapterUpDisconnectedButSelftestFailsTheLinkTestAndSendExits8() {
        CliRun up = CliRun.run(env, "bringup", DEV + "?fault=link-down");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("no violations");

        CliRun st = CliRun.run(env, "selftest", DEV + "?fault=link-down");
        assertThat(st.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(st.out()).containsPattern("link +FAIL +STATUS.LU not set");
        assertThat(st.err()).contains("self-test failed", "link");

        CliRun send = CliRun.run(env, "send", DEV + "?fault=link-down", "--count", "1", "--size", "64", "--dst",
                "02:00:00:00:00:02");
        assertThat(send.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(send.err()).contains("link did not come up");
    }

    @Test
    void aFlappingLinkHoldsTheSendUntilTheLinkIsBackAndEveryFrameArrives() {
        // The link drops after 20 frames; the 10 frames after it wait in the driver's queue until
        // autonegotiation brings the link back (a frame already in the ring when the link drops is lost,
        // as on the chip: the burst that follows stays below the flap interval here).
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", DEV + "?fault=link-flap@20", "--count", "30", "--size", "64", "--dst",
                "02:00:00:00:00:02", "--rate", "100", "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("sent 30 frames");
        assertThat(TrafficCommandsTest.readPcap(capture)).hasSize(30);
    }

    @Test
    void aHungTransmitterIsResetByCheckForHangAndTheSendCompletes() {
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", DEV + "?fault=tx-hang@10", "--count", "30", "--size", "64", "--dst",
                "02:00:00:00:00:02", "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(TrafficCommandsTest.readPcap(capture)).hasSize(30);
    }

    @Test
    void aBadReceiveLengthDropsThatFrameAndCountsIt() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames("52:54:00:12:34:56", 5, 100);
        TrafficCommandsTest.writePcap(inject, frames);
        CliRun r = CliRun.run(env, "recv", DEV + "?fault=rx-length@2", "--pcap", out.toString(), "--inject",
                inject.toString(), "--timeout", "1");

        assertThat(TrafficCommandsTest.readPcap(out)).containsExactly(frames.get(0), frames.get(1), frames.get(3),
                frames.get(4));
        assertThat(r.out()).contains("received 4 frames");
    }

    @Test
    void anInterruptStormDoesNotStopTraffic() {
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", DEV + "?fault=irq-storm@1", "--count", "20", "--size", "64", "--dst",
                "02:00:00:00:00:02", "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(TrafficCommandsTest.readPcap(capture)).hasSize(20);
    }

    @Test
    void aStormingLinkCauseIsMaskedAndReportedInOneWarningLine() {
        // long enough for CheckForHang (every 2 s) to see the storm: the driver masks it and says so once
        CliRun r = CliRun.run(env, "recv", DEV + "?fault=irq-storm", "--pcap", dir.resolve("r.pcap").toString(),
                "--timeout", "7");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err().lines().filter(l -> l.contains("warning"))).singleElement().asString()
                .startsWith("nicup: warning: driver error log:").contains("interrupt storm", "ICR.LSC", "masked");
    }

    @Test
    void aReceiveDmaFaultIsRefusedByTheIommuAndTheOtherFramesArrive() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames("52:54:00:12:34:56", 4, 100);
        TrafficCommandsTest.writePcap(inject, frames);
        CliRun r = CliRun.run(env, "recv", DEV + "?fault=dma-fault@1", "--pcap", out.toString(), "--inject",
                inject.toString(), "--timeout", "1");

        assertThat(TrafficCommandsTest.readPcap(out)).contains(frames.get(0), frames.get(2), frames.get(3));
    }

    @Test
    void anUnknownFaultIsAUsageErrorListingThe82576Faults() {
        CliRun r = CliRun.run(env, "bringup", DEV + "?fault=nosuch");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("unknown fault", "model=82576", "nvm-autoread-stuck", "irq-storm");
    }

    /**
     * A surprise removal mid-traffic: the adapter is halted as surprise-removed, one line says so (exit
     * 8), and the summary still counts each of the 200 frames once, in agreement with the mock wire.
     */
    @ParameterizedTest(name = "json={0}")
    @ValueSource(booleans = {false, true})
    void aSurpriseRemovalMidSendCountsEveryFrameOnceAndExits8(boolean json) {
        RemovalAccounting.Counts c = RemovalAccounting.send(env, DEV, dir, json);

        assertThat(c.frames()).as("confirmed before the device went").isPositive();
        assertThat(c.unconfirmed()).as("left on the ring").isPositive();
    }

    @ParameterizedTest(name = "json={0}")
    @ValueSource(booleans = {false, true})
    void aSurpriseRemovalMidLoopbackCountsEveryFrameOnceAndExits8(boolean json) {
        RemovalAccounting.loopback(env, DEV, json);
    }
}
