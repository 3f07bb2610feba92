package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a user sees when a simulated virtio-net device's BAR4 stops telling the truth (the register
 * faults of mock-device/README.md, virtio-net's "Hostile faults"; the driver's reactions are
 * docs/ndis-contract.md §13.1): during bring-up exit 8 with the one line naming what was read; while
 * sending, exit 8 with the one line that says the reset did not bring the device back, after a summary
 * that accounts for every frame; an ISR that shows reserved bits changes nothing the user sees.
 */
class HostileVirtioRegistersCommandsTest {

    private static final String FAULT_REMEDY = ": the simulated NIC's fault did this: mock-device/README.md says what"
            + " each fault does";

    @TempDir
    Path dir;

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "registers-all-ones@0         | register poll timed out: register=device_status offset=0x00014 mask=0x000000ff"
            + " expected=0x00000000 last=0x000000ff timeout_ms=1000",
        "registers-all-ones@10        | device MAC address is not a unicast address: mac=ff:ff:ff:ff:ff:ff",
        "registers-random@12          | queue 2 size beyond what a split virtqueue can have: queue_size=47657 (at most"
            + " 32768, virtio 1.2 2.7)",
        "config-generation-unstable@0 | config_generation never settled while reading the MAC: tries=16",
        "queue-size-bad@0             | queue 1 size beyond what a split virtqueue can have: queue_size=40000 (at most"
            + " 32768, virtio 1.2 2.7)",
        "num-queues-zero@0            | device has too few queues: num_queues=0 needed=1",
        "status-garbage@0             | register poll timed out: register=device_status offset=0x00014 mask=0x000000ff"
            + " expected=0x00000000 last=0x00000060 timeout_ms=1000",
        "status-garbage@3             | device_status shows bits the driver never set after FEATURES_OK:"
            + " device_status=0x63 (ACKNOWLEDGE DRIVER DEVICE_NEEDS_RESET) but the driver wrote 0x0B (ACKNOWLEDGE"
            + " DRIVER FEATURES_OK): lost=0x08 never_set=0x20",
        "status-garbage@5             | device_status does not hold after DRIVER_OK: device_status=0x67 (ACKNOWLEDGE"
            + " DRIVER DRIVER_OK DEVICE_NEEDS_RESET) but the driver wrote 0x0F (ACKNOWLEDGE DRIVER FEATURES_OK"
            + " DRIVER_OK): lost=0x08 never_set=0x20"})
    void aRegisterLieDuringBringupIsExit8WithOneLineNamingWhatWasRead(String fault, String reason) {
        CliRun r = CliRun.run(env, "bringup", "mock:virtio-net?fault=" + fault);

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).containsExactly("nicup: initialization failed:"
                + " status=NDIS_STATUS_FAILURE reason=" + reason + FAULT_REMEDY);
        assertThat(r.out()).contains("NdisMDeregisterMiniportDriver", "no violations");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"registers-all-ones | 0x000000ff", "status-garbage | 0x00000060"})
    void aStatusLieWhileSendingEndsTheRunInOneLineWithEveryFrameCounted(String fault, String last) {
        // read 31 is CheckForHang's first read of device_status, 2 s into the send
        CliRun r = CliRun.run(env, "send", "mock:virtio-net?fault=" + fault + "@31", "--count", "200", "--size", "64",
                "--dst", "02:00:00:00:00:01", "--rate", "50");

        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(ExitCode.HARDWARE.code());
        Matcher m = Pattern.compile("sent (\\d+) frames, .*, (\\d+) errors, (\\d+) drops").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(1))).as("sent before the lie").isPositive();
        assertThat(Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3)))
                .as("every frame asked for: %s", r.out()).isEqualTo(200);
        assertThat(r.out()).contains("mock wire: " + m.group(1) + " frames captured");
        assertThat(r.err().lines().filter(l -> !l.contains("Ctrl-C"))).containsExactly("nicup: device failed: the"
                + " driver reset it and it did not come back: register poll timed out: register=device_status"
                + " offset=0x00014 mask=0x000000ff expected=0x00000000 last=" + last + " timeout_ms=1000: the device no"
                + " longer answers as documented: check it (nicup info), reset it (nicup unbind --restore, then nicup"
                + " bind) and look at the kernel log");
    }

    @Test
    void anIsrShowingReservedBitsAndAChangeOnEveryReadChangesNothingTheUserSees() throws Exception {
        Path inject = dir.resolve("inject.pcap");
        Path out = dir.resolve("received.pcap");
        TrafficCommandsTest.writePcap(inject, TrafficCommandsTest.frames("52:54:00:12:34:57", 20, 100));
        CliRun r = CliRun.run(env, "recv", "mock:virtio-net?fault=msix-no-vector,isr-garbage", "--pcap", out.toString(),
                "--inject", inject.toString(), "--timeout", "5");

        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).startsWith("received 20 frames").contains(", 0 errors, 0 drops");
        assertThat(TrafficCommandsTest.readPcap(out)).hasSize(20);
        assertThat(r.err().lines().filter(l -> !l.contains("Ctrl-C"))).as("no warning, no reset").isEmpty();
    }
}
