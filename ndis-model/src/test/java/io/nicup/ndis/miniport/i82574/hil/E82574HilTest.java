package io.nicup.ndis.miniport.i82574.hil;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.hil.QemuGuest;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The 82574L miniport on QEMU's emulated 82574L through VFIO in a guest: one boot runs
 * {@code ndis-model/src/test/hil/e82574-suite.sh} (one JVM: {@link E82574HilMain}); the host injects
 * frames over UDP when the guest is ready and reads the filter-dump pcap; each test asserts on one check.
 */
@Tag("hil")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class E82574HilTest {

    private QemuGuest guest;
    private int exit;
    private Map<String, String> env;
    private boolean readySeen;

    @BeforeAll
    void bootOneGuestAndExchangeFrames() throws Exception {
        guest = QemuGuest.retryingWedged("E82574HilTest", this::exchangeFrames);
    }

    private QemuGuest exchangeFrames() throws IOException {
        guest = QemuGuest.start(List.of("--nic", "e1000e", "--timeout", "1200"),
                List.of("bash", "ndis-model/src/test/hil/e82574-suite.sh"));
        readySeen = guest.awaitFile("ready-rx", Duration.ofMinutes(15));
        env = guest.env();
        if (readySeen) {
            byte[] mac = HilFrames.mac(env.get("NICUP_HIL_NIC0_MAC"));
            QemuGuest.inject(Integer.parseInt(env.get("NICUP_HIL_NIC0_INJECT_PORT")), HilFrames.rxAll(mac));
            Files.writeString(guest.results().resolve("injected"), "yes\n");
        }
        exit = guest.awaitExit(Duration.ofMinutes(20));
        return guest;
    }

    @AfterAll
    void stopTheGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    private record Check(int rc, String out) {
    }

    private Check check(String name) {
        assertThat(exit).as("guest suite exit code; harness output:%n%s", guest.tail()).isZero();
        String rc = guest.read("check-" + name + ".rc").orElse(null);
        assertThat(rc).as("check %s did not run; main.log:%n%s%nexception: %s%nharness:%n%s", name,
                guest.read("main.log").orElse("(none)"), guest.read("check-exception.out").orElse("(none)"),
                guest.tail()).isNotNull();
        return new Check(Integer.parseInt(rc.strip()), guest.read("check-" + name + ".out").orElse(""));
    }

    private void passes(String name) {
        Check c = check(name);
        assertThat(c.rc()).as("%s: %s", name, c.out()).isZero();
    }

    private byte[] mac() {
        return HilFrames.mac(env.get("NICUP_HIL_NIC0_MAC"));
    }

    @Test
    void theNicIsBoundToVfioPciAndDriverEntryRegistersTheMiniport() {
        passes("bind");
        passes("driver-entry");
    }

    @Test
    void initializeExSucceedsOnTheEmulated82574LAndTheAdapterIsPaused() {
        passes("initialize");
        assertThat(check("initialize").out()).contains("state=PAUSED", "interrupts=MSIX");
    }

    @Test
    void thePermanentAndCurrentAddressAreTheMacGivenToQemu() {
        String mac = HilFrames.hex(mac());
        assertThat(check("mac").out()).contains("current=" + mac, "permanent=" + mac);
    }

    @Test
    void everyOfflineSelfTestPasses() {
        for (String t : List.of("register", "nvm", "interrupt", "phy-loopback", "mac-loopback", "link")) {
            passes("selftest-" + t);
        }
        assertThat(check("selftest-phy-loopback").out()).contains("64 frames");
        assertThat(check("register-dump").out()).contains("TARC0", "ENABLE(bit10)", "IVAR", "RXQ0->0");
    }

    @Test
    void theAdapterRestartsWithTheLinkUp() {
        passes("restart");
    }

    @Test
    void framesSentByTheDriverAppearInTheCaptureByteForByte() throws IOException {
        passes("tx");
        List<byte[]> captured = Pcap.read(guest.results().resolve("nic0.pcap"));
        List<byte[]> sent = HilFrames.txAll(mac());
        List<byte[]> fromGuest = captured.stream().filter(f -> Arrays.equals(Arrays.copyOfRange(f, 0, 6),
                HilFrames.PEER) && Arrays.equals(Arrays.copyOfRange(f, 6, 12), mac())).toList();
        assertThat(fromGuest).as("frames from the guest in nic0.pcap (%d captured)", captured.size())
                .containsExactlyElementsOf(sent);
    }

    @Test
    void framesInjectedByTheHostAreReceivedByteForByte() throws IOException {
        assertThat(readySeen).as("guest signalled ready-rx; %s", guest.tail()).isTrue();
        passes("rx");
        List<byte[]> received = Files.readAllLines(guest.results().resolve("rx-frames.hex")).stream()
                .filter(l -> !l.isBlank()).map(HilFrames::unhex).toList();
        assertThat(received).containsExactlyElementsOf(HilFrames.rxAll(mac()));
    }

    @Test
    void statisticsCountTheFramesSentAndReceived() {
        Check c = check("statistics");
        assertThat(c.rc()).isZero();
        assertThat(c.out()).containsPattern("\\bout_ucast=" + HilFrames.COUNT + "\\b")
                .containsPattern("\\bin_ucast=" + HilFrames.COUNT + "\\b")
                .containsPattern("\\bGPTC=" + HilFrames.COUNT + "[,}]").containsPattern("\\bGPRC=" + HilFrames.COUNT + "[,}]");
    }

    @Test
    void haltLeavesTheDeviceQuietAndTheDriverUnloadsWithTheVerifierClean() {
        passes("halt");
        assertThat(check("halt").out()).contains("live_regions=0", "bus_master=false");
        passes("unload");
        passes("verifier");
    }
}
