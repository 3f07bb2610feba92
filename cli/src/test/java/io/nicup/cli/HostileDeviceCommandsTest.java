package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a user sees when the simulated device is hostile (mock-device/README.md, "Configuration-space
 * faults" and virtio-net's "Hostile faults"): a malformed configuration space is exit 8 with one line
 * naming what was seen (and {@code info} decodes it up to the cut, with one warning saying where); a used ring the device corrupts is survived with the frame counted, one
 * driver-error-log warning and the reset, and every frame accounted for in the summary.
 */
class HostileDeviceCommandsTest {

    private static final String VIRTIO = "mock:virtio-net";
    private static final String MAC = "52:54:00:12:34:57";
    private static final String MOCK_REMEDY = ": the simulated NIC's fault did this: mock-device/README.md says what each"
            + " fault does";
    private static final String LOGGED = "nicup: warning: driver error log: error_code=0xc000138a the device broke"
            + " the virtqueue protocol (virtio 1.2 2.7.8): ";
    private static final String RESET_WARNING = "nicup: warning: the driver reset the adapter once during the run"
            + " (MiniportResetEx after CheckForHang found it hung): frames in flight were completed or dropped";

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "82574L     | cap-loop               | capability chain loops: pointer_at=0xA1 next=0xC8 (visited before)",
        "82576      | cap-outside            | capability runs past the configuration space: id=0x10 at=0xFC length=20 end=0x100",
        "virtio-net | cap-into-header        | capability chain points into the header: pointer_at=0x41 next=0x10 (capabilities live at 0x40-0xFF)",
        "82576      | ext-cap-loop           | extended capability chain loops: next=0x100 (visited before)",
        "82574L     | ext-cap-outside        | extended capability runs past the configuration space: id=0x0001 at=0xFFC length=44 end=0x1000",
        "virtio-net | msix-bar-missing       | MSI-X table is in a BAR the function does not have: bir=5 offset=0x0 vectors=4 memory_bars=1,4",
        "82574L     | msix-overlap           | MSI-X table and PBA overlap: bar=3 table=0x0+0x50 pba=0x0+0x8 vectors=5",
        "82576      | msix-beyond-bar        | MSI-X table runs past the end of its BAR: bar=3 offset=0x3FF8 bytes=0xA0 bar_size=0x4000 vectors=10",
        "virtio-net | vendor-cap-bar-missing | no usable COMMON_CFG capability: COMMON_CFG@0x40 bar=5 offset=0x0 length=0x1000 (its BAR is not a memory BAR of the function)",
        "virtio-net | vendor-cap-beyond-bar  | no usable COMMON_CFG capability: COMMON_CFG@0x40 bar=4 offset=0x3800 length=0x1000 (runs past the end of BAR4: end=0x4800 bar_size=0x4000)"})
    void aMalformedConfigurationSpaceIsExit8WithOneLineNamingIt(String model, String fault, String reason) {
        CliRun r = CliRun.run(env, "bringup", "mock:" + model + "?fault=" + fault);

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).containsExactly("nicup: initialization failed: status=NDIS_STATUS_FAILURE"
                + " reason=" + reason + MOCK_REMEDY);
        assertThat(r.out()).contains("NdisMDeregisterMiniportDriver", "no violations");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "cap-loop        | nicup: warning: capability chain cut: the pointer at 0x41 loops back to 0x98",
        "cap-into-header | nicup: warning: capability chain cut: the pointer at 0x41 points into the header (0x10)",
        "ext-cap-loop    | nicup: warning: extended capability chain cut: the pointer at 0x100 loops back (0x100)"})
    void infoDecodesAMalformedChainUpToWhereItIsCutAndSaysWhere(String fault, String warning) {
        CliRun r = CliRun.run(env, "info", VIRTIO + "?fault=" + fault);

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.err().lines()).containsExactly(warning);
        assertThat(r.out()).contains("1af4:1041");
    }

    @Test
    void aZeroUsedLengthDropsThatFrameCountsOneErrorAndNeedsNoReset() {
        Received got = recv("rx-length-zero@2", 5);

        assertThat(got.run.exitCode()).as(got.run.out() + got.run.err()).isZero();
        assertThat(got.run.out()).contains("received 4 frames", "1 errors, 0 drops");
        assertThat(warnings(got.run)).isEmpty();
        assertThat(got.seqs).containsExactly(0, 1, 3, 4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "used-id-range@2     | receiveq1 used id out of range: id=256 len=112 used.idx=2 queue_size=256",
        "used-id-duplicate@2 | receiveq1 used id names a buffer already returned (NDIS holds it): id=2 len=112 used.idx=3 queue_size=256"})
    void aBadUsedIdIsCountedLoggedAndResetAndTheOtherFramesArrive(String fault, String logged) {
        Received got = recv(fault, 5);

        assertThat(got.run.exitCode()).as(got.run.out() + got.run.err()).isZero();
        assertThat(warnings(got.run)).containsExactly(RESET_WARNING, LOGGED + logged + ": resetting it values=[]");
        if (fault.startsWith("used-id-range")) {
            assertThat(got.run.out()).contains("received 4 frames", "1 errors, 0 drops");
            assertThat(got.seqs).containsExactly(0, 1, 3, 4);
        } else {
            assertThat(got.run.out()).as("frame 2 once; the second element for its buffer is the error")
                    .contains("received 5 frames", "1 errors, 0 drops");
            assertThat(got.seqs).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void aUsedIndexJumpingPastTheRingLosesWhatTheRingHeldAndAccountsForIt() {
        Received got = recv("used-idx-jump@2", 5);

        assertThat(got.run.exitCode()).as(got.run.out() + got.run.err()).isZero();
        assertThat(warnings(got.run)).containsExactly(RESET_WARNING, LOGGED + "receiveq1 used.idx moved past the"
                + " buffers made available: used.idx=259 last_used=0 in_flight=256 queue_size=256: resetting it values=[]");
        assertThat(got.seqs).as("frames 0-2 were in the ring under the corrupt index; 3 and 4 waited for the reset")
                .containsExactly(3, 4);
        assertThat(got.run.out()).as("2 received + 1 error + 2 lost = the 5 injected").contains("received 2 frames",
                "1 errors, 0 drops, 2 injected but never indicated (filtered out, or returned by the device in a used"
                + " ring the driver could not trust and reset)");
    }

    @Test
    void aTransmitElementThatIsNotAChainHeadCountsWhatWasInFlightAsErrorsAndSendsNothingTwice() {
        Path wire = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", VIRTIO + "?fault=used-id-not-head@50", "--count", "200", "--size", "64",
                "--dst", "02:00:00:00:00:01", "--capture", wire.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<Integer> seqs = TrafficCommandsTest.readPcap(wire).stream().map(f -> ByteBuffer.wrap(f, 14, 4).getInt())
                .toList();
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        assertThat(warnings(r)).containsExactly(RESET_WARNING, LOGGED + "transmitq1 used id is not the head of a chain"
                + " in flight: id=101 used.idx=50 queue_size=256 in_flight=64: resetting it values=[]");
        String summary = r.out().lines().filter(l -> l.startsWith("sent ")).findFirst().orElseThrow();
        long sent = Long.parseLong(summary.split(" ")[1]);
        long errors = Long.parseLong(summary.replaceAll(".*, (\\d+) errors.*", "$1"));
        assertThat(sent + errors).as("every frame: confirmed sent, or an error (unconfirmed)").isEqualTo(200);
        assertThat(errors).as("frame 50 and the 13 behind it in the ring when the device stopped").isEqualTo(14);
        assertThat(seqs.size()).as("what the summary says was sent is on the wire; frame 50 too").isEqualTo(sent + 1);
        assertThat(summary).contains("0 drops");
    }

    private record Received(CliRun run, List<Integer> seqs) {
    }

    /** Standard error without the line that says how to stop the run. */
    private static List<String> warnings(CliRun r) {
        return r.err().lines().filter(l -> !l.contains("Ctrl-C")).toList();
    }

    private Received recv(String fault, int frames) {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        TrafficCommandsTest.writePcap(inject, TrafficCommandsTest.frames(MAC, frames, 100));
        CliRun r = CliRun.run(env, "recv", VIRTIO + "?fault=" + fault, "--pcap", out.toString(), "--inject",
                inject.toString(), "--timeout", "5");
        List<Integer> seqs = r.exitCode() == 0 || r.exitCode() == ExitCode.INCOMPLETE.code()
                ? TrafficCommandsTest.readPcap(out).stream().map(HostileDeviceCommandsTest::seq).toList() : List.of();
        return new Received(r, seqs);
    }

    /** The index of an injected frame ({@link TrafficCommandsTest#frames} numbers them from 1000). */
    private static int seq(byte[] f) {
        return ByteBuffer.wrap(f, 14, 4).getInt() - 1000;
    }
}
