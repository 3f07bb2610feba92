package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user sees when a simulated Intel NIC breaks the rules a driver relies on (the hostile faults of
 * mock-device/README.md; the driver's reactions are docs/ndis-contract.md §13): the exit code, the one line
 * that says what happened, and a summary that still accounts for every frame.
 */
class HostileIntelCommandsTest {

    private static final String RESET_WARNING = "nicup: warning: the driver reset the adapter once during the run"
            + " (MiniportResetEx after CheckForHang found it hung): frames in flight were completed or dropped";
    private static final String ERROR_LOG = "nicup: warning: driver error log: error_code=0xc000138a ring protocol broken: ";
    private static final String FAULT_REMEDY = ": the simulated NIC's fault did this: mock-device/README.md says what"
            + " each fault does";

    @TempDir
    Path tmp;

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    private Path twentyBroadcasts() {
        Path in = tmp.resolve("in.pcap");
        List<byte[]> frames = new ArrayList<>();
        io.nicup.ndis.MacAddress all = io.nicup.ndis.MacAddress.parse("ff:ff:ff:ff:ff:ff");
        for (int i = 0; i < 20; i++) {
            frames.add(Traffic.frame(all, all, 64, i));
        }
        TrafficCommandsTest.writePcap(in, frames);
        return in;
    }

    private CliRun recv(String model, String fault) {
        return CliRun.run(env, "recv", "mock:" + model + "?fault=" + fault, "--pcap", tmp.resolve("r.pcap").toString(),
                "--inject", twentyBroadcasts().toString());
    }

    private static List<String> warnings(CliRun r) {
        return r.err().lines().filter(l -> l.startsWith("nicup: warning:") && !l.contains("the link went down")).toList();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"82574L, rx-length", "82574L, rx-length-zero", "82574L, rx-length-over-limit", "82576, rx-length",
        "82576, rx-length-zero", "82576, rx-length-over-limit"})
    void aWrittenBackLengthNoFrameHasIsOneDropAndNothingElse(String model, String fault) {
        CliRun r = recv(model, fault + "@3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("received 19 frames, 1216 bytes").contains(", 0 errors, 1 drops, written to");
        assertThat(warnings(r)).as("the frame's fault, not the ring's: no reset").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aReceiveWriteBackIntoADescriptorNeverHandedOverIsADropAndAResetSaidInOneLine(String model) {
        CliRun r = recv(model, "rx-dd-unsubmitted@3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("received 19 frames, 1216 bytes").contains(", 0 errors, 1 drops, written to");
        assertThat(warnings(r)).containsExactly(RESET_WARNING, ERROR_LOG + "the device wrote DD into a receive descriptor"
                + " at RDT, which it was never given: the adapter is reset values=[0x1]");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void aReceiveHeadOutsideItsRingIsResetAndTheFramesMissedMeanwhileAreDrops(String model) {
        CliRun r = recv(model, "rx-head-out-of-range@3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("received 3 frames, 192 bytes").contains(", 0 errors, 17 drops, written to");
        assertThat(warnings(r)).containsExactly(RESET_WARNING, ERROR_LOG + "RDH=0x00000108 is outside the 256-descriptor"
                + " ring (RDH must be below 256): the device's head left its ring: the adapter is reset values=[0x1]");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"82574L, tx-dd-unsubmitted, 'the device wrote DD into a transmit descriptor at TDT, which it was never given'",
        "82576, tx-dd-unsubmitted, 'the device wrote DD into a transmit descriptor at TDT, which it was never given'",
        "82574L, tx-head-out-of-range, TDH=0x00000108 is outside the 256-descriptor ring (TDH must be below 256): the"
            + " device's head left its ring",
        "82576, tx-head-out-of-range, TDH=0x00000108 is outside the 256-descriptor ring (TDH must be below 256): the"
            + " device's head left its ring"})
    void aTransmitRingTheDeviceLiedAboutIsResetAndEveryFrameReachesTheWireOnce(String model, String fault,
            String said) throws Exception {
        Path wire = tmp.resolve("wire.pcap");
        // 4 s at 50 frames a second: CheckForHang (every 2 s) runs during the send
        CliRun r = CliRun.run(env, "send", "mock:" + model + "?fault=" + fault + "@50", "--count", "200", "--size", "64",
                "--dst", "02:00:00:00:00:01", "--rate", "50", "--capture", wire.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("sent 200 frames, 12800 bytes").contains(", 0 errors, 0 drops");
        assertThat(warnings(r)).containsExactly(RESET_WARNING, ERROR_LOG + said + ": the adapter is reset values=[0x1]");
        List<Integer> seqs = Pcap.readAll(wire, 1000).stream().map(f -> ByteBuffer.wrap(f.data(), 14, 4).getInt())
                .toList();
        assertThat(seqs).hasSize(200).doesNotHaveDuplicates().isSorted();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"82574L, registers-all-ones", "82574L, registers-random", "82576, registers-all-ones",
        "82576, registers-random"})
    void registersThatLiePartWayThroughInitializationFailTheBringupInOneLine(String model, String fault) {
        CliRun r = CliRun.run(env, "bringup", "mock:" + model + "?fault=" + fault + "@40");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().lines()).singleElement().asString()
                .matches("nicup: initialization failed: status=NDIS_STATUS_FAILURE reason=\\S.*" + Pattern.quote(FAULT_REMEDY));
        assertThat(r.out()).contains("NdisMDeregisterMiniportDriver", "no violations");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void registersThatReadAllOnesWhileRunningEndTheSendInOneLineWithEveryFrameCounted(String model) {
        CliRun r = CliRun.run(env, "send", "mock:" + model + "?fault=registers-all-ones@400", "--count", "200", "--size",
                "64", "--dst", "02:00:00:00:00:01", "--rate", "50");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        Matcher m = Pattern.compile("sent (\\d+) frames, .*, (\\d+) errors, (\\d+) drops, (\\d+) not sent \\(paused\\)")
                .matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3))
                + Long.parseLong(m.group(4))).as("every frame asked for: %s", r.out()).isEqualTo(200);
        assertThat(Long.parseLong(m.group(4))).as("what the pause gave back unsent (NDIS_STATUS_PAUSED): %s", r.out())
                .isPositive();
        assertThat(Long.parseLong(m.group(2))).as("PAUSED is no error: %s", r.out()).isZero();
        assertThat(warnings(r)).containsExactly(ERROR_LOG + "TDH=0xffffffff is outside the 256-descriptor ring (TDH must"
                + " be below 256): the device's head left its ring: the adapter is reset values=[0x1]");
        assertThat(r.err().lines().filter(l -> !l.startsWith("nicup: warning:") && !l.contains("Ctrl-C")))
                .containsExactly("nicup: device failed: the driver reset it and it did not come back: register poll"
                        + " timed out: register=STATUS.GIO_MASTER_ENABLE offset=0x00008 mask=0x00080000"
                        + " expected=0x00000000 last=0xffffffff timeout_ms=80: the device no longer answers as"
                        + " documented: check it (nicup info), reset it (nicup unbind --restore, then nicup bind) and look"
                        + " at the kernel log");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"82574L, rx-length-zero, 1, 0", "82576, rx-length-over-limit, 1, 0", "82574L, rx-dd-unsubmitted, 1, 1",
        "82576, rx-dd-unsubmitted, 1, 1"})
    void statsShowWhatTheDriverDroppedAndWhatTheDeviceWroteWhereItWasNotGiven(String model, String fault,
            long dropped, long unsubmitted) {
        CliRun r = CliRun.run(env, "stats", "mock:" + model + "?fault=" + fault + "@3", "--inject",
                twentyBroadcasts().toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("rx_indicated +19\\b").containsPattern("rx_dropped +" + dropped + "\\b")
                .containsPattern("unsubmitted_write_backs +" + unsubmitted + "\\b")
                .containsPattern("counter_reads_rejected +0\\b");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"82574L", "82576"})
    void counterRegistersThatReadAllOnesAreNotPrintedAsCounts(String model) {
        CliRun r = recv(model, "registers-all-ones@400");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("received 20 frames").contains(", 0 errors, 0 drops");
    }
}
