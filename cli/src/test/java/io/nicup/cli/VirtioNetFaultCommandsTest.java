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
 * What a user sees when the simulated virtio-net device misbehaves during traffic
 * ({@code mock:virtio-net?fault=NAME}): the faults the driver survives leave every frame accounted for and
 * none on the wire twice; the one it cannot hide (an IOMMU fault) is one line with exit 8. The init faults
 * and all-ones are in {@link VirtioNetCommandsTest}.
 */
class VirtioNetFaultCommandsTest {

    private static final String DEV = "mock:virtio-net";
    private static final String MAC = "52:54:00:12:34:57";

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({"tx-hang@50", "device-needs-reset@50", "irq-storm@1", "link-flap@60"})
    void trafficSurvivesTheFaultAndNoFrameIsOnTheWireTwice(String fault) {
        Path wire = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", DEV + "?fault=" + fault, "--count", "200", "--size", "64", "--dst",
                "02:00:00:00:00:01", "--capture", wire.toString());

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        List<Integer> seqs = TrafficCommandsTest.readPcap(wire).stream().map(f -> ByteBuffer.wrap(f, 14, 4).getInt())
                .toList();
        assertThat(seqs).doesNotHaveDuplicates().isSorted();
        if (fault.startsWith("link-flap")) {
            assertThat(seqs.size()).as("frames sent while the link was down are lost, not resent").isBetween(100, 199);
            // every frame asked for is accounted for: on the wire, or lost while the link was down
            assertThat(r.out()).contains("sent " + seqs.size() + " frames", "0 errors, 0 drops, "
                    + (200 - seqs.size()) + " lost while the link was down");
        } else {
            assertThat(r.out()).contains("sent 200 frames", "0 errors, 0 drops");
            assertThat(seqs).as("CheckForHang and ResetHandlerEx bring every frame out").hasSize(200);
        }
    }

    @Test
    void aUsedLengthBeyondItsBufferDropsThatFrameCountsAnErrorAndTheRestArrive() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames(MAC, 5, 100);
        TrafficCommandsTest.writePcap(inject, frames);

        CliRun r = CliRun.run(env, "recv", DEV + "?fault=rx-length@2", "--pcap", out.toString(), "--inject",
                inject.toString(), "--timeout", "2");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("received 4 frames", "1 errors");
        assertThat(TrafficCommandsTest.readPcap(out)).containsExactly(frames.get(0), frames.get(1), frames.get(3),
                frames.get(4));
    }

    @Test
    void anIommuFaultIsNamedInOneLineWithExit8AfterTheResetDeliversTheHeldFrames() {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        List<byte[]> frames = TrafficCommandsTest.frames(MAC, 3, 100);
        TrafficCommandsTest.writePcap(inject, frames);

        CliRun r = CliRun.run(env, "recv", DEV + "?fault=dma-fault@1", "--pcap", out.toString(), "--inject",
                inject.toString(), "--timeout", "5");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err()).contains("nicup: warning: the driver reset the adapter once during the run");
        assertThat(r.err().lines().filter(l -> !l.contains("Ctrl-C") && !l.startsWith("nicup: warning: ")))
                .singleElement().asString()
                .startsWith("nicup: IOMMU fault: the device wrote outside its DMA mappings:")
                .contains("iova=0xdead00000000", "context=virtq-rx-buffer");
        // DEVICE_NEEDS_RESET, CheckForHang, the reset: the device hands the held frames over again
        assertThat(TrafficCommandsTest.readPcap(out)).containsExactlyElementsOf(frames);
    }

    @Test
    void aDeviceThatTakesNoMsixVectorIsPolledAndMovesTrafficAnyway() {
        CliRun regs = CliRun.run(env, "regs", DEV + "?fault=msix-no-vector");
        assertThat(regs.exitCode()).as(regs.err()).isZero();
        assertThat(regs.out()).containsPattern("config_msix_vector .*NO_VECTOR");

        Path wire = dir.resolve("wire.pcap");
        CliRun send = CliRun.run(env, "send", DEV + "?fault=msix-no-vector", "--count", "50", "--size", "64", "--dst",
                "02:00:00:00:00:01", "--capture", wire.toString());
        assertThat(send.exitCode()).as(send.out() + send.err()).isZero();
        assertThat(TrafficCommandsTest.readPcap(wire)).hasSize(50);
    }

    @Test
    void withoutTheFaultEveryVirtqueueHasAVector() {
        CliRun regs = CliRun.run(env, "regs", DEV);

        assertThat(regs.exitCode()).as(regs.err()).isZero();
        assertThat(regs.out()).containsPattern("config_msix_vector ").doesNotContain("NO_VECTOR");
    }
}
