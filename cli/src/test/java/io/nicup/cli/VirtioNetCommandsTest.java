package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command on the simulated virtio-net ({@code mock:virtio-net}): output and exit codes. */
class VirtioNetCommandsTest {

    private static final String DEV = "mock:virtio-net";
    private static final String MAC = "52:54:00:12:34:57";

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @Test
    void infoShowsTheModernIdsThe64BitBarAndDecodesTheVirtioCapabilities() {
        CliRun r = CliRun.run(env, "info", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("1af4:1041", "rev 01", "subsystem 1af4:1100", "BAR4 mem64 16 KiB prefetchable",
                "[98] MSI-X", "table_size=4", "[40] Vendor Specific virtio=COMMON_CFG bar=4 bar_offset=0x0",
                "[70] Vendor Specific virtio=NOTIFY_CFG bar=4 bar_offset=0x3000 length=0x1000 notify_off_multiplier=4");
    }

    @Test
    void bringupRunsTheWholeSequenceWithTheDevicesMacAndNoViolations() {
        CliRun r = CliRun.run(env, "bringup", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence("DriverEntry", "MiniportInitializeEx", "NDIS_STATUS_SUCCESS",
                "MiniportRestart", "MiniportPause", "MiniportHaltEx", "MiniportDriverUnload");
        assertThat(r.out()).contains("adapter: mac " + MAC, "link up", "no violations", "bringup: ok");
    }

    @Test
    void selftestPassesWhatAppliesAndSkipsLoopbackWithAReason() {
        CliRun r = CliRun.run(env, "selftest", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("capabilities +PASS +COMMON_CFG bar=4")
                .containsPattern("features +PASS +negotiated VERSION_1 ACCESS_PLATFORM MAC STATUS CTRL_VQ CTRL_RX")
                .containsPattern("queues +PASS +receiveq1 size=256, transmitq1 size=256")
                .containsPattern("interrupt +PASS +MSI-X vector 3 fired")
                .containsPattern("link +PASS +status.LINK_UP")
                .containsPattern("loopback +SKIPPED +virtio-net has no internal loopback");
        assertThat(r.out()).contains("selftest: 5 passed, 1 skipped (loopback: virtio-net has no internal loopback");
    }

    @Test
    void selftestOfADeviceWithoutOptionalFeaturesSkipsInterruptAndLink() {
        CliRun r = CliRun.run(env, "selftest", DEV + "?fault=no-optional-features");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("interrupt +SKIPPED +no control queue")
                .containsPattern("link +SKIPPED +VIRTIO_NET_F_STATUS not offered")
                .containsPattern("features +PASS +negotiated VERSION_1 \\(");
        assertThat(r.out()).contains("selftest: 3 passed, 3 skipped (interrupt: no control queue")
                .doesNotContain("all 6 tests passed");
    }

    @Test
    void selftestJsonCountsTheSkippedTestsApartFromThePassedOnes() {
        CliRun r = CliRun.run(env, "--json", "selftest", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"failed\":0,\"skipped\":1,\"passed\":true");
    }

    @Test
    void selftestWithTheLinkDownFailsWithExit9() {
        CliRun r = CliRun.run(env, "selftest", DEV + "?fault=link-down");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).containsPattern("link +FAIL +status.LINK_UP not set");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    @Test
    void regsDumpsTheCommonConfigurationAndTheDeviceConfigurationByTheirSpecNames() {
        CliRun r = CliRun.run(env, "regs", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("device_feature[1]", "VERSION_1 ACCESS_PLATFORM", "driver_feature[0]",
                "device_status", "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK", "num_queues", "config_generation",
                "q0.queue_size", "receiveq1", "q1.queue_msix_vector", "vector 2", "q2.queue_notify_off",
                "doorbell at BAR4+0x3008", "q0.queue_desc", "mac ", MAC, "LINK_UP");
        assertThat(r.out()).as("ISR status clears on read: left out").doesNotContain("isr_status");
    }

    @Test
    void regsJsonCarriesNameOffsetAndValue() {
        CliRun r = CliRun.run(env, "--json", "regs", DEV);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("{\"name\":\"device_status\",\"offset\":\"0x00014\",\"value\":\"0x0000000F\"");
    }

    @Test
    void statsReportsTheDriversPerQueueCountersForInjectedFrames() {
        Path inject = dir.resolve("inject.pcap");
        List<byte[]> frames = new ArrayList<>(TrafficCommandsTest.frames(MAC, 6, 128));
        frames.addAll(TrafficCommandsTest.frames("ff:ff:ff:ff:ff:ff", 2, 200));
        TrafficCommandsTest.writePcap(inject, frames);
        CliRun r = CliRun.run(env, "stats", DEV, "--inject", inject.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("queue counters (kept by the driver: virtio-net has no hardware counters):");
        assertThat(r.out()).containsPattern("ifHCInUcastPkts +6").containsPattern("ifHCInBroadcastPkts +2")
                .containsPattern("ifHCInOctets +1168").containsPattern("rxq0_frames +8")
                .containsPattern("rxq0_bytes +1168").containsPattern("txq0_frames +0")
                .containsPattern("ctrlq_commands +[1-9]");
    }

    @Test
    void sendPutsFramesOnTheWireByteForByte() {
        Path in = dir.resolve("in.pcap");
        Path capture = dir.resolve("wire.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames("02:00:00:00:00:09", 20, 300);
        frames.add(TrafficCommandsTest.frames("ff:ff:ff:ff:ff:ff", 1, 1514).getFirst());
        TrafficCommandsTest.writePcap(in, frames);
        CliRun r = CliRun.run(env, "send", DEV, "--pcap", in.toString(), "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sent 21 frames", "0 errors, 0 drops", "mock wire: 21 frames captured");
        assertThat(TrafficCommandsTest.readPcap(capture)).containsExactlyElementsOf(frames);
    }

    @Test
    void sendOfGeneratedFramesCarriesTheAdaptersSourceAddress() {
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", DEV, "--count", "10", "--size", "64", "--dst", "02:00:00:00:00:02",
                "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<byte[]> wire = TrafficCommandsTest.readPcap(capture);
        assertThat(wire).hasSize(10).allMatch(f -> f.length == 64);
        assertThat(MacAddress.of(java.util.Arrays.copyOfRange(wire.get(0), 6, 12))).isEqualTo(MacAddress.parse(MAC));
    }

    @Test
    void recvWritesInjectedFramesByteForByteAndFiltersOthers() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        List<byte[]> wanted = new ArrayList<>(TrafficCommandsTest.frames(MAC, 30, 128));
        wanted.addAll(TrafficCommandsTest.frames("ff:ff:ff:ff:ff:ff", 5, 1514));
        List<byte[]> all = new ArrayList<>(wanted);
        all.addAll(TrafficCommandsTest.frames("02:00:00:00:00:77", 4, 100));   // not for us
        TrafficCommandsTest.writePcap(inject, all);
        CliRun r = CliRun.run(env, "recv", DEV, "--pcap", out.toString(), "--inject", inject.toString(),
                "--timeout", "1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("received 35 frames");
        assertThat(TrafficCommandsTest.readPcap(out)).containsExactlyElementsOf(wanted);

        CliRun promiscuous = CliRun.run(env, "recv", DEV, "--pcap", out.toString(), "--inject", inject.toString(),
                "--timeout", "1", "--promiscuous");
        assertThat(promiscuous.exitCode()).as(promiscuous.err()).isZero();
        assertThat(TrafficCommandsTest.readPcap(out)).containsExactlyElementsOf(all);
    }

    @Test
    void loopbackIsNotSupportedWithExit4AndOneLine() {
        CliRun r = CliRun.run(env, "loopback", DEV, "--count", "10");

        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code()).isEqualTo(4);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("loopback not supported", "virtio-net");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reset-stuck, register=device_status",
        "features-rejected, FEATURES_OK not kept"})
    void initializationFaultsFailBringupWithExit8NamingTheCause(String fault, String named) {
        CliRun r = CliRun.run(env, "bringup", DEV + "?fault=" + fault);

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nicup: initialization failed").contains(named);
        assertThat(r.out()).contains("NdisMDeregisterMiniportDriver", "no violations");
    }

    @Test
    void aDeviceThatReadsAllOnesIsAHardwareFailure() {
        CliRun r = CliRun.run(env, "bringup", DEV + "?fault=all-ones");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err()).contains("all-ones", "surprise removal");
    }

    @Test
    void anUnknownVirtioFaultIsAUsageErrorListingTheValidOnes() {
        CliRun r = CliRun.run(env, "bringup", DEV + "?fault=nvm-checksum");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err()).contains("unknown fault", "features-rejected", "device-needs-reset");
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
}
