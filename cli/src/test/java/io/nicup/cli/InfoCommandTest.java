package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * `nicup info` on the simulated 82574L, whose config space is laid out as QEMU presents the chip (PCI
 * functions read from sysfs: {@link InfoFromSysfsTest}).
 */
class InfoCommandTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @Test
    void infoDecodesIdsBarsAndTheCapabilityChain() {
        CliRun r = CliRun.run(env, "info", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("8086:10d3", "class 020000", "BAR0 mem32 128 KiB", "BAR3 mem32 16 KiB",
                "[c8] Power Management", "[d0] MSI", "[e0] PCI Express", "MSI-X", "table_size=5",
                "[100] Advanced Error Reporting", "[140] Device Serial Number");
    }

    @Test
    void infoJsonCarriesTheSameFacts() {
        CliRun r = CliRun.run(env, "--json", "info", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"vendor_id\":\"8086\"", "\"table_size\":5", "\"name\":\"PCI Express\"",
                "\"msix\":5");
    }

    @Test
    void aDeviceThatReadsAllOnesIsOneHardwareErrorNotAListOfUnknownCapabilities() {
        CliRun r = CliRun.run(env, "info", "mock:82574L?fault=all-ones");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: device reads all-ones: vendor_id=0xffff").contains("not responding or was removed");
    }

    @Test
    void anUnknownMockModelIsAUsageErrorListingTheModels() {
        CliRun r = CliRun.run(env, "info", "mock:e1001");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("82574L");
    }
}
