package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a user sees when the simulated 82574L misbehaves ({@code mock:82574L?fault=NAME}): one line that
 * names what failed and the documented exit code, after the seed's failure path has run (the driver
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
}
