package io.nicup.cli.hil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nicup.vfio.hil.QemuGuest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole 82576 suite on QEMU's {@code igb} (QEMU 8.0 or later) through VFIO, in ONE guest
 * ({@code cli/src/test/hil/igb-suite.sh}): the miniport's NDIS lifecycle in one JVM
 * ({@code E82576HilMain}), then {@code scripts/nicup} as a user types it. Frames the guest sends are
 * checked byte for byte in QEMU's filter-dump pcap; frames the host injects over UDP are checked byte for
 * byte in what the miniport received and in the pcap {@code nicup recv} wrote. Skipped, with the reason,
 * when the QEMU at hand has no igb model.
 *
 * <p>A second igb sits on a tap with virtio-net headers ({@code run-guest --tap 1}; docs/hardware-reference.md D.7):
 * QEMU's igb hands a TCP segmentation to such a peer whole and the host kernel cuts it, so
 * {@code cli/src/test/hil/intel-tap.sh} runs {@code large-send} and {@code checksum-offload} and one 64 KB send through
 * {@link TapReflector}, whose capture tshark checks (docs/hardware-reference.md B.17).
 */
@Tag("hil")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Igb82576HilTest {

    private static final String CLI_PEER = "02:00:00:00:00:99";
    private static final byte[] MAIN_PEER = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
    private static final int MAIN_FRAMES = 8;
    /** What the host side of the link partner did (GuestLinkPartner), for the failure messages. */
    private String partner = "the guest never got to the checks that need a link partner";
    /** What the host saw of the hot-unplug it did for surprise-removal (GuestRemover). */
    private GuestRemover.Outcome removal = GuestRemover.Outcome.none("the guest never got to the removal");
    private QemuGuest guest;
    private int exit;
    private Map<String, String> env;
    private boolean mainReadySeen;
    private List<byte[]> cliTx;
    private List<byte[]> cliRx;
    /** The host side of NIC 1, the igb on the tap. */
    private TapPartner tap;

    /** Why the suite cannot run here (the QEMU at hand has no igb), or null. */
    private String missing;

    @BeforeAll
    void bootOneGuestAndExchangeFrames() throws Exception {
        missing = qemuWithoutIgb();
        if (missing != null) {
            System.err.println("Igb82576HilTest: every test skipped: " + missing);
            return;
        }
        guest = QemuGuest.retryingWedged("Igb82576HilTest", this::exchangeFrames);
    }

    private QemuGuest exchangeFrames() throws IOException {
        cliRx = null;
        Path tx = QemuGuest.repo().resolve("cli/target/hil-igb-tx.pcap");
        cliTx = CliHilTest.frames("02:00:00:00:00:02", CLI_PEER, 6, 200);
        CliHilTest.writePcap(tx, cliTx);
        guest = QemuGuest.start(List.of("--nic", "igb", "--nic", "igb", "--tap", "1", "--qmp", "--timeout", "3780"),
                List.of("bash", "cli/src/test/hil/igb-suite.sh"));
        tap = TapPartner.start(guest, 1);
        mainReadySeen = guest.awaitFile("ready-rx", Duration.ofMinutes(20));
        env = guest.env();
        if (mainReadySeen) {
            byte[] mac = mac();
            QemuGuest.inject(Integer.parseInt(env.get("NICUP_HIL_NIC0_INJECT_PORT")), mainRx(mac));
            Files.writeString(guest.results().resolve("injected"), "yes\n");
        }
        partner = GuestLinkPartner.serve(guest, "ready-peer", "check-conformance-peer.rc", Duration.ofMinutes(15));
        if (guest.awaitFile("ready-recv", Duration.ofMinutes(25))) {
            env = guest.env();
            String mac = env.get("NICUP_HIL_NIC0_MAC").toLowerCase(Locale.ROOT);
            cliRx = CliHilTest.frames(mac, CLI_PEER, 8, 300);
            int port = Integer.parseInt(env.get("NICUP_HIL_NIC0_INJECT_PORT"));
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (guest.read("check-recv.rc").isEmpty() && System.nanoTime() - deadline < 0) {
                QemuGuest.inject(port, cliRx);
                guest.awaitFile("check-recv.rc", Duration.ofSeconds(3));
            }
        }
        removal = GuestRemover.serve(guest, "ready-remove", "check-surprise-removal.rc", Duration.ofMinutes(10));
        exit = guest.awaitExit(Duration.ofMinutes(63));
        tap.close();
        env = guest.env();
        return guest;
    }

    /** Null when QEMU has the igb model, else the reason for skipping. */
    private static String qemuWithoutIgb() throws Exception {
        Process v;
        try {
            v = new ProcessBuilder("qemu-system-x86_64", "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            return "no qemu-system-x86_64 on PATH: the 82576 suite needs QEMU >= 8.0 with the igb model;"
                    + " scripts/hil/setup installs one";
        }
        String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst()
                .orElse("QEMU (unknown version)");
        v.waitFor(30, TimeUnit.SECONDS);
        Process p = new ProcessBuilder("qemu-system-x86_64", "-device", "help").redirectErrorStream(true).start();
        String devices = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return devices.contains("\"igb\"") ? null : version.strip() + " has no igb device (QEMU >= 8.0 needed):"
                + " scripts/hil/setup installs one";
    }

    /** Each test is skipped, with the reason as its message, when the QEMU at hand has no igb. */
    @BeforeEach
    void requireQemuWithIgb() {
        assumeTrue(missing == null, missing);
    }

    @AfterAll
    void stopTheGuest() {
        if (tap != null) {
            tap.close();
        }
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

    private Check passes(String name) {
        Check c = check(name);
        assertThat(c.rc()).as("%s: %s", name, c.out()).isZero();
        return c;
    }

    private byte[] mac() {
        return HexFormat.ofDelimiter(":").parseHex(env.get("NICUP_HIL_NIC0_MAC").toLowerCase(Locale.ROOT));
    }

    /** Frames as hex strings: short, readable failure messages. */
    private static List<String> hex(List<byte[]> frames) {
        return frames.stream().map(HexFormat.of()::formatHex).toList();
    }

    private List<byte[]> capture() throws IOException {
        return CliHilTest.readPcap(guest.results().resolve("nic0.pcap"));
    }

    /**
     * The frames of the miniport's check, as {@code io.nicup.ndis.miniport.i82574.hil.HilFrames} (ndis-model
     * test classes, which the guest runs) makes them: TX {@code 02:00:00:00:00:02 <- mac}, RX the reverse.
     */
    private static byte[] hilFrame(byte[] dst, byte[] src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 7 + i * 13);
        }
        f[14] = (byte) (seq >>> 8);
        f[15] = (byte) seq;
        return f;
    }

    private static List<byte[]> mainTx(byte[] mac) {
        List<byte[]> l = new java.util.ArrayList<>();
        for (int i = 0; i < MAIN_FRAMES; i++) {
            l.add(hilFrame(MAIN_PEER, mac, i == MAIN_FRAMES - 1 ? 1514 : 60 + 97 * i, 0x100 + i));
        }
        return l;
    }

    private static List<byte[]> mainRx(byte[] mac) {
        List<byte[]> l = new java.util.ArrayList<>();
        for (int i = 0; i < MAIN_FRAMES; i++) {
            l.add(hilFrame(mac, MAIN_PEER, i == MAIN_FRAMES - 1 ? 1514 : 64 + 101 * i, 0x200 + i));
        }
        return l;
    }

    // ---- the miniport, one JVM --------------------------------------------------------------------

    @Test
    void theNicIsFoundAsAn82576BoundAndDriverEntryRegistersTheMiniport() {
        assertThat(passes("list").out()).contains(env.get("NICUP_HIL_NIC0_BDF"), "8086:10c9", "82576");
        assertThat(passes("bind").out()).contains("bound to vfio-pci");
        passes("driver-entry");
    }

    @Test
    void initializeExSucceedsOnQemusIgbWithMsixAndTheAdapterIsPaused() {
        assertThat(passes("initialize").out()).contains("state=PAUSED", "interrupts=MSIX");
    }

    @Test
    void thePermanentAndCurrentAddressAreTheMacGivenToQemu() {
        String mac = HexFormat.of().formatHex(mac());
        assertThat(check("mac").out().toLowerCase(Locale.ROOT)).contains("current=" + mac, "permanent=" + mac);
    }

    @Test
    void everyOfflineSelfTestPassesOnQemusIgb() {
        for (String t : List.of("register", "nvm", "interrupt", "phy-loopback", "mac-loopback", "link")) {
            passes("selftest-" + t);
        }
        assertThat(check("selftest-nvm").out()).contains("0xBABA");
        assertThat(check("selftest-interrupt").out()).contains("MSIX", "vector2(LSC)");
        assertThat(check("selftest-phy-loopback").out()).contains("64 frames");
        assertThat(check("register-dump").out()).contains("GPIE", "MSIX_MODE", "IVAR0", "RXQ0->0 TXQ0->1",
                "SRRCTL0", "ADV_ONEBUF", "RXDCTL0", "ENABLE");
    }

    @Test
    void theAdapterRestartsWithTheLinkUp() {
        passes("restart");
    }

    @Test
    void framesTheMiniportSendsAppearInTheCaptureByteForByte() throws IOException {
        passes("tx");
        byte[] mac = mac();
        List<byte[]> fromMain = capture().stream().filter(f -> f.length >= 12
                && Arrays.equals(Arrays.copyOfRange(f, 0, 6), MAIN_PEER)
                && Arrays.equals(Arrays.copyOfRange(f, 6, 12), mac)).toList();
        assertThat(hex(fromMain)).containsExactlyElementsOf(hex(mainTx(mac)));
    }

    @Test
    void framesTheHostInjectsAreReceivedByTheMiniportByteForByte() throws IOException {
        assertThat(mainReadySeen).as("guest signalled ready-rx; %s", guest.tail()).isTrue();
        passes("rx");
        List<byte[]> received = Files.readAllLines(guest.results().resolve("rx-frames.hex")).stream()
                .filter(l -> !l.isBlank()).map(HexFormat.of()::parseHex).toList();
        assertThat(hex(received)).containsExactlyElementsOf(hex(mainRx(mac())));
    }

    @Test
    void statisticsCountTheFramesSentAndReceived() {
        Check c = passes("statistics");
        assertThat(c.out()).containsPattern("\\bout_ucast=" + MAIN_FRAMES + "\\b")
                .containsPattern("\\bin_ucast=" + MAIN_FRAMES + "\\b")
                .containsPattern("\\bGPTC=" + MAIN_FRAMES + "[,}]").containsPattern("\\bGPRC=" + MAIN_FRAMES + "[,}]");
    }

    @Test
    void haltLeavesTheDeviceQuietAndTheDriverUnloadsWithTheVerifierClean() {
        assertThat(passes("halt").out()).contains("live_regions=0", "bus_master=false");
        passes("unload");
        passes("verifier");
    }

    // ---- scripts/nicup ----------------------------------------------------------------------------

    @Test
    void theRegisterDumpEndsWithIgbsPhyReadOverMdicAndTheLinkUp() {
        assertThat(passes("regs").out()).containsPattern("firmware-version: \\d+\\.\\d+\\.\\d+")
                .contains("PHY registers (IEEE 802.3 clause 22 and 40):", "PHYSID1  reg  2 = 0x02A8")
                .containsPattern("BMSR     reg  1 = 0x[0-9A-F]{4}  .*LSTATUS.*\\(link up\\)")
                .contains("link partner advertised link modes:");
    }

    @Test
    void theNvmDumpOfQemusIgbEepromHasAValidChecksumAndTheMacQemuWasGiven() {
        String mac = env.get("NICUP_HIL_NIC0_MAC").toLowerCase(Locale.ROOT);
        assertThat(passes("nvm").out()).contains("Offset\t\tValues", "checksum: valid (sum of words 0x00-0x3F = 0xBABA)")
                .containsPattern("firmware-version: \\d+\\.\\d+\\.\\d+").contains("): " + mac);
    }

    @Test
    void identifySwitchesTheLedForOneSecondAndPutsLedctlBack() {
        assertThat(passes("identify").out()).contains("identify: port LED blinked for ", ", switched ")
                .containsPattern("identify: LEDCTL 0x[0-9A-F]{8} restored");
    }

    @Test
    void infoDecodesQemusIgbAndItsVfioRegions() {
        assertThat(passes("info").out()).contains("8086:10c9", "MSI-X", "TYPE1v2");
    }

    @Test
    void bringupWalksTheWholeSequenceAndReportsTheMacQemuWasGiven() {
        String out = passes("bringup").out();
        String mac = env.get("NICUP_HIL_NIC0_MAC").toLowerCase(Locale.ROOT);
        assertThat(out.toLowerCase(Locale.ROOT)).contains(mac);
        assertThat(out).contains("MiniportInitializeEx", "MiniportRestart", "MiniportPause", "MiniportHaltEx",
                "NdisMDeregisterMiniportDriver", "no violations", "bringup: ok");
        assertThat(guest.read("trace.jsonl").orElse("")).contains("\"kind\":\"call\"", "e82576");
        assertThat(passes("json-bringup").out()).contains(mac);
    }

    @Test
    void selftestPassesEveryTestThatAppliesToThe82576() {
        assertThat(passes("selftest").out()).contains("register", "nvm", "0xBABA", "interrupt", "phy-loopback",
                "mac-loopback", "link", "selftest: all 6 tests passed");
    }

    @Test
    void regsAndStatsShowThe82576sRegistersAndCounters() {
        assertThat(passes("regs").out()).contains("CTRL", "STATUS", "GPIE", "EIMS", "IVAR0", "SRRCTL0", "RXDCTL0",
                "TXDCTL0", "RLPML");
        assertThat(passes("stats").out()).contains("GPRC", "GPTC", "tx_completed");
    }

    @Test
    void theConformanceChecksThatNeedNoLinkPartnerPassOnTheEmulatedNic() {
        GuestChecks.assertTheChecksWithoutAPeerPassed(passes("conformance").out(), guest.read("conformance.xml").orElse(""));
    }

    /**
     * packet-filters, priority and link with a link partner (docs/ndis-contract.md §18): the host reflects every
     * frame the NIC sends, and pulls the link with QEMU's set_link when set-link.sh asks (run-guest --qmp).
     */
    @Test
    void theConformanceChecksThatNeedALinkPartnerPassWithTheHostReflectingAndPullingTheLink() {
        GuestLinkPartner.assertTheChecksPassed(passes("conformance-peer").out(),
                guest.read("conformance-peer.xml").orElse(""), partner, List.of("checksum-offload", "rss"));
    }

    /**
     * nicup rss through the host's reflector (docs/ndis-contract.md §21): QEMU's igb (hw/net/igb_core.c) picks each
     * frame's queue from RETA, so 64 flows land on the 82576 driver's four queues, each on the queue its table entry
     * names, with the software Toeplitz hash.
     */
    @Test
    void rssSpreadsSixtyFourFlowsOverEveryQueueOfQemusIgb() {
        GuestChecks.assertEveryFlowReachedItsQueue(passes("rss").out(), 4);
    }

    @Test
    void loopbackThroughQemusIgbBringsEveryFrameBack() {
        assertThat(passes("loopback").out()).contains("looped back 32 frames", "loopback: all 32 frames came back identical");
    }

    @Test
    void generatedFramesReachTheWire() throws IOException {
        passes("send-gen");
        byte[] mac = mac();
        byte[] dst = HexFormat.ofDelimiter(":").parseHex("02:00:00:00:00:01");
        List<byte[]> gen = capture().stream().filter(f -> f.length >= 12 && Arrays.equals(Arrays.copyOfRange(f, 0, 6), dst)
                && Arrays.equals(Arrays.copyOfRange(f, 6, 12), mac)).toList();
        assertThat(gen.stream().map(f -> f.length).toList()).hasSize(10).containsOnly(128);
    }

    @Test
    void framesOfAPcapFileReachTheWireByteForByte() throws IOException {
        passes("send-pcap");
        byte[] src = HexFormat.ofDelimiter(":").parseHex(CLI_PEER);
        byte[] dst = HexFormat.ofDelimiter(":").parseHex("02:00:00:00:00:02");
        // the frames the host injects come from CLI_PEER too, but to the NIC's own address
        List<byte[]> fromPcap = capture().stream().filter(f -> f.length >= 12
                && Arrays.equals(Arrays.copyOfRange(f, 0, 6), dst)
                && Arrays.equals(Arrays.copyOfRange(f, 6, 12), src)).toList();
        assertThat(hex(fromPcap)).containsExactlyElementsOf(hex(cliTx));
    }

    @Test
    void framesInjectedFromTheHostAreWrittenToTheUsersPcapByteForByte() throws IOException {
        Check c = passes("recv");
        assertThat(cliRx).as("the guest never signalled it was receiving").isNotNull();
        List<byte[]> got = CliHilTest.readPcap(guest.results().resolve("recv.pcap"));
        assertThat(got).as(c.out()).hasSize(8);
        List<String> sent = cliRx.stream().map(HexFormat.of()::formatHex).toList();
        for (byte[] f : got) {
            assertThat(sent).contains(HexFormat.of().formatHex(f));
        }
    }

    @Test
    void theKernelTakesTheNicBackMidTrafficAndNicupReleasesItSoQemuDeletesIt() {
        GuestRemover.assertTheNicWasTakenBackMidTraffic(guest, removal, env.get("NICUP_HIL_NIC0_BDF"),
                name -> passes(name).out());
    }

    @Test
    void unbindRestoreGivesTheNicBack() {
        assertThat(passes("unbind").out()).contains("released from vfio-pci");
        assertThat(passes("list-after").out()).contains("\"bdf\":\"" + env.get("NICUP_HIL_NIC0_BDF") + "\"");
    }

    // ---- NIC 1: the igb on the tap with virtio-net headers (run-guest --tap 1, docs/hardware-reference.md D.7) ----

    /**
     * large-send and checksum-offload through the host's reflector: QEMU's igb hands each large send to the tap whole
     * with a GSO type and each checksum it was asked for as NEEDS_CSUM, the host kernel finishes them (PSH on the last
     * segment only, docs/hardware-reference.md B.17), and every frame the reflector read was finished.
     */
    @Test
    void theLargeSendAndChecksumChecksPassOnTheTapIgbThroughTheHostsReflector() {
        tap.assertTheIntelTapChecksPassed(name -> passes(name).out());
    }

    /** One {@code send --lso 1460} of a 65535-byte TCP/IPv4 frame leaves the tap igb as 45 MSS-sized segments. */
    @Test
    void oneLargeSendLeavesTheTapIgbAsMssSizedSegmentsWithPshOnTheLastOnly() throws Exception {
        passes("send-lso");
        tap.assertOneLargeSendSegmented("02:00:00:00:00:75");
    }
}
