package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a user sees when the simulated 82574L misbehaves ({@code mock:82574L?fault=NAME}): one line that
 * names what failed and the documented exit code, after the failure path of docs/ndis-contract.md §1.1 has run (the driver
 * deregisters) and the verifier found every resource released.
 */
class FaultCommandsTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "reset-stuck, CTRL.RST",
        "nvm-autoread-stuck, EECD.AUTO_RD",
        "nvm-checksum, 0xBABA",
        "eerd-stuck, EERD.DONE",
        "mdic-error, MDIC",
        "mdic-stuck, MDIC.READY"})
    void initializationFaultsFailBringupWithTheRegisterNamedAndNothingLeft(String fault, String named) {
        CliRun r = CliRun.run(env, "bringup", "mock:82574L?fault=" + fault);

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("nicup: initialization failed").contains(named);
        assertThat(r.out()).contains("NdisMDeregisterMiniportDriver", "no violations");
    }

    @Test
    void aDeviceThatReadsAllOnesIsAHardwareFailureNotAnUnsupportedDevice() {
        CliRun r = CliRun.run(env, "bringup", "mock:82574L?fault=all-ones");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("all-ones", "surprise removal");
    }

    @Test
    void linkDownStillBringsTheAdapterUpDisconnectedButTheLinkSelfTestFails() {
        CliRun up = CliRun.run(env, "bringup", "mock:82574L?fault=link-down");
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).contains("no violations");

        CliRun st = CliRun.run(env, "selftest", "mock:82574L?fault=link-down");
        assertThat(st.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(st.err()).contains("link");
    }

    @Test
    void anInterruptStormDoesNotStopTrafficAndTheMaskedStormIsReportedOnce() {
        CliRun send = CliRun.run(env, "send", "mock:82574L?fault=irq-storm", "--count", "200", "--size", "64",
                "--dst", "02:00:00:00:00:01");
        assertThat(send.exitCode()).as(send.err()).isZero();
        assertThat(send.out()).contains("sent 200 frames", "0 drops", "mock wire: 200 frames captured");

        CliRun loop = CliRun.run(env, "loopback", "mock:82574L?fault=irq-storm", "--count", "20");
        assertThat(loop.exitCode()).as(loop.out() + loop.err()).isZero();
        assertThat(loop.out()).contains("all 20 frames came back identical");

        // long enough for CheckForHang (every 2 s) to see the storm: the driver masks it and says so once
        CliRun recv = CliRun.run(env, "recv", "mock:82574L?fault=irq-storm", "--pcap", tmp.resolve("r.pcap").toString(),
                "--timeout", "7");
        assertThat(recv.exitCode()).as(recv.err()).isZero();
        assertThat(recv.err().lines().filter(l -> l.contains("warning"))).singleElement().asString()
                .startsWith("nicup: warning: driver error log:").contains("interrupt storm", "ICR.LSC", "masked");
    }

    @Test
    void aFrameLongerThanItsBufferIsDroppedAndNamedAsTheMissingOneNotAsEveryLaterFrameDiffering() {
        CliRun r = CliRun.run(env, "loopback", "mock:82574L?fault=rx-length@3", "--count", "20");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).contains("19 frames", "1 drops");
        assertThat(r.err().lines().filter(l -> !l.contains("Ctrl-C"))).singleElement().asString()
                .startsWith("nicup: loopback failed: 1 of 20 frames did not come back (first missing: frame 3)");
    }

    @Test
    void anIommuFaultIsNamedInOneLineAndIsAHardwareFailure() {
        CliRun r = CliRun.run(env, "loopback", "mock:82574L?fault=dma-fault@5", "--count", "20");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().lines().filter(l -> !l.contains("Ctrl-C"))).singleElement().asString()
                .startsWith("nicup: IOMMU fault: the device wrote outside its DMA mappings:")
                .contains("iova=0xdead00000000", "context=rx-buffer");
    }

    /**
     * A surprise removal mid-traffic: the adapter is halted as surprise-removed, one line says so (exit
     * 8), and the summary still counts each of the 200 frames once (confirmed, on the ring unconfirmed,
     * queued in the driver, not submitted), in agreement with the mock wire.
     */
    @ParameterizedTest(name = "json={0}")
    @ValueSource(booleans = {false, true})
    void aSurpriseRemovalMidSendHaltsAsSurpriseRemovedInOneLineAndCountsEveryFrame(boolean json) {
        RemovalAccounting.Counts c = RemovalAccounting.send(env, "mock:82574L", tmp, json);

        assertThat(c.frames()).as("confirmed before the device went").isPositive();
        assertThat(c.unconfirmed()).as("left on the ring").isPositive();
    }

    @ParameterizedTest(name = "json={0}")
    @ValueSource(booleans = {false, true})
    void aSurpriseRemovalMidLoopbackHaltsAsSurpriseRemovedInOneLineAndCountsEveryFrame(boolean json) {
        RemovalAccounting.loopback(env, "mock:82574L", json);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tx-hang@50", "link-flap@60"})
    void aHungTransmitterOrAFlappingLinkIsSurvivedWithNoFrameOnTheWireTwice(String fault) throws Exception {
        java.nio.file.Path wire = tmp.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", "mock:82574L?fault=" + fault, "--count", "200", "--size", "64",
                "--dst", "02:00:00:00:00:01", "--capture", wire.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<Integer> seqs = Pcap.readAll(wire, 1000).stream()
                .map(f -> java.nio.ByteBuffer.wrap(f.data(), 14, 4).getInt()).toList();
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        if (fault.startsWith("tx-hang")) {
            assertThat(r.out()).contains("sent 200 frames", "0 errors, 0 drops");
            assertThat(seqs).as("CheckForHang and ResetHandlerEx recover every frame").hasSize(200);
            assertThat(r.err()).contains("nicup: warning: the driver reset the adapter");
        } else {
            assertThat(seqs.size()).as("frames sent while the cable was out are lost, not resent").isBetween(100, 199);
            // every frame asked for is accounted for: on the wire, or lost while the link was down
            assertThat(r.out()).contains("sent " + seqs.size() + " frames", "0 errors, 0 drops, "
                    + (200 - seqs.size()) + " lost while the link was down");
            assertThat(r.err()).containsPattern("nicup: warning: the link went down (once|\\d+ times) during the run");
        }
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;
}
