package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a bring-up engineer reaches for beside the register dump, on both simulated Intel families and on
 * virtio-net: the PHY registers and the link partner in {@code regs}, the NVM dump with its checksum and the
 * versions ({@code nvm}, like ethtool -e and -i), and port identification ({@code identify}, like ethtool -p).
 */
class DeviceDiagnosticsCommandsTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    // ---- regs: versions and the PHY ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mock:82574L, e82574, 2.1-0, 0x0141, 0x0CB1", "mock:82576, e82576, 2.1.0, 0x02A8, 0x0391"})
    void regsStartsWithTheDriversIdentityAndEndsWithThePhyAndTheLinkPartner(String dev, String driver, String firmware,
            String id1, String id2) {
        CliRun r = CliRun.run(env, "regs", dev);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().limit(4)).containsExactly("driver: " + driver, "version: nicup (development build)",
                "firmware-version: " + firmware, "bus-info: " + r.out().lines().skip(3).findFirst().orElseThrow()
                        .substring("bus-info: ".length()));
        assertThat(r.out()).containsSubsequence("CTRL ", "RAH0", "PHY registers (IEEE 802.3 clause 22 and 40):",
                "BMCR     reg  0 = 0x", "ANENABLE", "BMSR     reg  1 = 0x", "LSTATUS", "(link up)",
                "PHYSID1  reg  2 = " + id1, "PHYSID2  reg  3 = " + id2, "ANAR     reg  4", "ANLPAR   reg  5", "ACK",
                "ANER     reg  6", "CTRL1000 reg  9", "STAT1000 reg 10 = 0x3C00  LP_1000HALF LP_1000FULL",
                "link partner advertised link modes: 10baseT/Half 10baseT/Full 100baseT/Half 100baseT/Full",
                "1000baseT/Half 1000baseT/Full", "link partner advertised pause frame use: Symmetric");
    }

    @Test
    void regsJsonCarriesTheDriverInfoThePhyRegistersAndThePartner() {
        CliRun r = CliRun.run(env, "--json", "regs", "mock:82576");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"driver_info\":{\"driver\":\"e82576\",", "\"firmware_version\":\"2.1.0\"",
                "\"phy\":{\"present\":true,\"registers\":[{\"name\":\"BMCR\",\"reg\":0,\"value\":\"0x",
                "{\"name\":\"STAT1000\",\"reg\":10,\"value\":\"0x3C00\"",
                "\"link_partner\":{\"negotiated\":true,\"modes\":[\"10baseT/Half\"", "\"pause\":\"Symmetric\"");
    }

    @Test
    void regsOnVirtioNetSaysInOneLineThatThereIsNoPhyAndInventsNone() {
        CliRun text = CliRun.run(env, "regs", "mock:virtio-net");
        CliRun json = CliRun.run(env, "--json", "regs", "mock:virtio-net");

        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("firmware-version: n/a");
        assertThat(text.out().lines().filter(l -> l.contains("PHY"))).singleElement().asString()
                .startsWith("PHY: none: virtio-net has no PHY");
        assertThat(text.out()).doesNotContain("BMSR", "link partner");
        assertThat(json.out()).contains("\"phy\":{\"present\":false,\"reason\":\"virtio-net has no PHY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void withoutALinkThePartnerIsUnknownNotWhatItsRegistersHoldFromReset(String dev) {
        CliRun r = CliRun.run(env, "regs", dev + "?fault=link-down");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("BMSR     reg  1 = 0x[0-9A-F]{4}  .*\\(link down\\)")
                .contains("link partner: unknown (autonegotiation not complete)")
                .doesNotContain("link partner advertised", "ANEGCOMPLETE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void regsWithAPhyThatAnswersWithMdicErrorFailsInOneLineNamingMdic(String dev) {
        CliRun r = CliRun.run(env, "regs", dev + "?fault=mdic-error");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("MDIC");
    }

    // ---- nvm -------------------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource({"mock:82574L, firmware-version: 2.1-0", "mock:82576, firmware-version: 2.1.0"})
    void nvmDumpsTheWordsAsEthtoolDoesWithTheMacWordsAndAValidChecksum(String dev, String firmware) {
        CliRun r = CliRun.run(env, "nvm", dev);

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsSubsequence(firmware, "Offset\t\tValues", "------\t\t------",
                "0x0000:\t\t52 54 00 12 34 56 ", "0x0070:\t\t",
                "MAC address (words 0x00-0x02: 0x5452 0x1200 0x5634): 52:54:00:12:34:56",
                "checksum: valid (sum of words 0x00-0x3F = 0xBABA)");
        assertThat(r.out().lines().filter(l -> l.matches("0x00[0-7]0:\t\t([0-9a-f]{2} ){15}[0-9a-f]{2}"))).hasSize(8);
    }

    @Test
    void nvmJsonGivesEverySixteenBitWordAndTheVerdict() {
        CliRun r = CliRun.run(env, "--json", "nvm", "mock:82574L");

        assertThat(r.exitCode()).as(r.err()).isZero();
        Matcher words = Pattern.compile("\"words\":\\[((\"0x[0-9A-F]{4}\",?)+)\\]").matcher(r.out());
        assertThat(words.find()).as(r.out()).isTrue();
        assertThat(words.group(1).split(",")).hasSize(64).startsWith("\"0x5452\"", "\"0x1200\"", "\"0x5634\"");
        assertThat(r.out()).contains("\"mac_words\":[\"0x5452\",\"0x1200\",\"0x5634\"]", "\"mac\":\"52:54:00:12:34:56\"",
                "\"checksum\":{\"valid\":true,\"sum\":\"0xBABA\",\"expected\":\"0xBABA\"}", "\"firmware_version\":\"2.1-0\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void anInvalidChecksumIsShownWithTheImageTheDriverRefusedAndExits9(String dev) {
        CliRun r = CliRun.run(env, "nvm", dev + "?fault=nvm-checksum");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out()).contains("0x0000:\t\t52 54 00 12 34 56 ", "checksum: INVALID (sum 0xBABB, expected 0xBABA)",
                "MiniportInitializeEx refused this image: NVM checksum invalid");
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: NVM checksum invalid: sum=0xBABB expected=0xBABA");
    }

    @Test
    void anInvalidChecksumInJsonIsTheVerdictThenTheErrorObject() {
        CliRun r = CliRun.run(env, "--json", "nvm", "mock:82576?fault=nvm-checksum");

        assertThat(r.exitCode()).isEqualTo(ExitCode.SELFTEST_FAILED.code());
        assertThat(r.out().lines().toList()).hasSize(2);
        assertThat(r.out()).contains("\"checksum\":{\"valid\":false,\"sum\":\"0xBABB\",\"expected\":\"0xBABA\"}");
        assertThat(r.out().lines().toList().getLast()).startsWith("{\"error\":{\"code\":9,\"name\":\"SELFTEST_FAILED\"");
    }

    @Test
    void aFailureBeforeTheNvmIsOnlyThatFailure() {
        CliRun r = CliRun.run(env, "nvm", "mock:82574L?fault=mdic-error");

        assertThat(r.exitCode()).isEqualTo(ExitCode.HARDWARE.code());
        assertThat(r.out()).doesNotContain("checksum");
        assertThat(r.err().strip().lines()).singleElement().asString().startsWith("nicup: initialization failed")
                .contains("MDIC");
    }

    @Test
    void nvmOnVirtioNetIsNotSupportedInOneLine() {
        CliRun r = CliRun.run(env, "nvm", "mock:virtio-net");

        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).singleElement().asString().startsWith("nicup: device has no NVM: model=virtio-net");
    }

    // ---- identify ------------------------------------------------------------------------------------------

    @Test
    void identifyOnThe82574LetsTheHardwareBlinkLed2AndRestoresLedctl() {
        CliRun r = CliRun.run(env, "identify", "mock:82574L", "--seconds", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("identify: port LED blinked for 3.000 s of virtual time by the hardware's own blink",
                "simulated LEDs (changes seen): LED0 0 LED1 0 LED2 14 LED3 0",
                "identify: LEDCTL 0x00068302 restored");
    }

    @Test
    void identifyOnThe82576SwitchesLed3FourTimesASecondAndRestoresLedctl() {
        CliRun r = CliRun.run(env, "identify", "mock:82576", "--seconds", "3");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("identify: port LED blinked for 3.000 s of virtual time, switched 11 times",
                "simulated LEDs (changes seen): LED0 0 LED1 0 LED2 0 LED3 11", "identify: LEDCTL 0x07068302 restored");
    }

    @Test
    void identifyJsonSaysTheLedConfigurationWasRestored() {
        CliRun r = CliRun.run(env, "--json", "identify", "mock:82576", "--seconds", "1");

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"virtual_time\":true", "\"led_before\":\"LEDCTL 0x07068302\"",
                "\"led_after\":\"LEDCTL 0x07068302\"", "\"restored\":true", "\"switches\":3", "\"interrupted\":false",
                "\"simulated_led_toggles\":[0,0,0,3]");
    }

    @Test
    void identifyOnVirtioNetIsNotSupportedInOneLine() {
        CliRun r = CliRun.run(env, "identify", "mock:virtio-net", "--seconds", "1");

        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(r.err().strip().lines()).singleElement().asString()
                .startsWith("nicup: device has no port LED: model=virtio-net");
    }

    @Test
    void identifySecondsOutOfRangeIsAUsageErrorBeforeTheDeviceIsTouched() {
        CliRun r = CliRun.run(env, "identify", "mock:82574L", "--seconds", "86401");

        assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(r.err().strip().lines()).singleElement().asString().contains("--seconds");
    }

    @Test
    @Timeout(120)
    void sigtermWhileIdentifyingRestoresLedctlTearsDownAndExits130() throws Exception {
        NicupProcess p = NicupProcess.start("identify", "mock:82576");
        boolean announced = p.awaitErrContaining("Ctrl-C stops");
        if (announced) {
            p.terminate();
        }
        NicupProcess.Result r = p.finish();

        assertThat(announced).as(r.err()).isTrue();
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(r.out()).contains("identify: LEDCTL 0x07068302 restored (interrupted)",
                "teardown: MiniportHaltEx -> MiniportDriverUnload -> NdisMDeregisterMiniportDriver; verifier: no violations");
        assertThat(r.err().strip().lines().toList().getLast()).isEqualTo("nicup: interrupted: teardown completed");
    }
}
