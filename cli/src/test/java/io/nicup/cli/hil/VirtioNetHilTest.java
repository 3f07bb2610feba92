package io.nicup.cli.hil;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.hil.QemuGuest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The virtio-net family in ONE QEMU guest ({@code run-guest --nic virtio-net}: virtio-net-pci with
 * disable-legacy=on and iommu_platform=on behind intel-iommu), bound to vfio-pci:
 * {@code cli/src/test/hil/virtio-suite.sh} runs the miniport's NDIS lifecycle in one JVM
 * (VirtioNetHilMain) and then {@code scripts/nicup} command by command. Frames the guest sends are
 * checked byte for byte in QEMU's filter-dump pcap; frames the host injects over UDP are checked byte
 * for byte in what the guest received (the miniport's hex file, nicup's pcap). Last, the NIC is given to
 * the kernel's virtio_net with an address, and {@code nicup bind} must refuse it.
 *
 * <p>NIC 1 sits on a tap with virtio-net headers ({@code run-guest --tap 1}; docs/hardware-reference.md D.7), so
 * QEMU offers it checksum offload, TSO and the hash report: {@code cli/src/test/hil/virtio-tap.sh} runs the
 * offload checks and sends through {@link TapReflector}, which echoes every frame from the other port of the
 * run's bridge and captures what the host kernel made of it for tshark's checksum validation.
 */
@Tag("hil")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VirtioNetHilTest {

    /** VirtioNetHilMain's peer (02:00:00:00:00:03) and frame numbering, kept in step with it. */
    private static final byte[] MAIN_PEER = {0x02, 0x00, 0x00, 0x00, 0x00, 0x03};
    private static final String CLI_PEER = "02:00:00:00:00:99";
    private static final int COUNT = 8;

    /** What the host side of the link partner did (GuestLinkPartner), for the failure messages. */
    private String partner = "the guest never got to the checks that need a link partner";
    private QemuGuest guest;
    private int exit;
    private Map<String, String> env;
    private byte[] mac;
    private List<byte[]> cliTx;
    private List<byte[]> cliRx;
    private long seconds;
    private TapPartner tap;
    /** What the host saw of the hot-unplug of NIC 1 it did for surprise-removal (GuestRemover). */
    private GuestRemover.Outcome removal = GuestRemover.Outcome.none("the guest never got to the removal");

    @BeforeAll
    void bootOneGuestAndExchangeFrames() throws Exception {
        guest = QemuGuest.retryingWedged("VirtioNetHilTest", this::exchangeFrames);
    }

    private QemuGuest exchangeFrames() throws IOException {
        mac = null;
        cliRx = null;
        long start = System.nanoTime();
        Path tx = QemuGuest.repo().resolve("cli/target/hil-virtio-tx.pcap");
        cliTx = CliHilTest.frames("02:00:00:00:00:02", CLI_PEER, 6, 200);
        cliTx.add(CliHilTest.frames("02:00:00:00:00:02", CLI_PEER, 1, 1514).getFirst());
        CliHilTest.writePcap(tx, cliTx);
        guest = QemuGuest.start(List.of("--nic", "virtio-net", "--nic", "virtio-net", "--tap", "1", "--tap-queues", "4", "--root-port",
                "1", "--qmp", "--timeout", "3300"), List.of("bash", "cli/src/test/hil/virtio-suite.sh"));
        tap = TapPartner.start(guest, 1);
        if (guest.awaitFile("ready-main-rx", Duration.ofMinutes(20))) {
            env = guest.env();
            mac = HexFormat.ofDelimiter(":").parseHex(env.get("NICUP_HIL_NIC0_MAC").toLowerCase(Locale.ROOT));
            int port = Integer.parseInt(env.get("NICUP_HIL_NIC0_INJECT_PORT"));
            injectUntil(port, mainRx(), "check-main-rx.rc");
        }
        partner = GuestLinkPartner.serve(guest, "ready-peer", "check-conformance-peer.rc", Duration.ofMinutes(15));
        if (guest.awaitFile("ready-recv", Duration.ofMinutes(20))) {
            env = guest.env();
            String m = env.get("NICUP_HIL_NIC0_MAC").toLowerCase(Locale.ROOT);
            cliRx = CliHilTest.frames(m, CLI_PEER, COUNT, 300);
            injectUntil(Integer.parseInt(env.get("NICUP_HIL_NIC0_INJECT_PORT")), cliRx, "check-recv.rc");
        }
        removal = GuestRemover.serve(guest, "ready-remove", "check-surprise-removal.rc", Duration.ofMinutes(10));
        exit = guest.awaitExit(Duration.ofMinutes(55));
        tap.close();
        env = guest.env();
        seconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println("virtio-net HIL suite: guest exit " + exit + " after " + seconds + " s");
        return guest;
    }

    /** The receiver arms some seconds after its ready file (JVM start under emulation): offer until it has them. */
    private void injectUntil(int port, List<byte[]> frames, String doneFile) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (guest.read(doneFile).isEmpty() && System.nanoTime() - deadline < 0) {
            QemuGuest.inject(port, frames);
            guest.awaitFile(doneFile, Duration.ofSeconds(3));
        }
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

    private List<byte[]> mainRx() {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            l.add(frame(mac, MAIN_PEER, i == COUNT - 1 ? 1514 : 64 + 101 * i, 0x400 + i));
        }
        return l;
    }

    private List<byte[]> mainTx() {
        List<byte[]> l = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            l.add(frame(MAIN_PEER, mac, i == COUNT - 1 ? 1514 : 60 + 97 * i, 0x300 + i));
        }
        return l;
    }

    /** VirtioNetHilMain.frame, restated so that a change on one side shows here. */
    private static byte[] frame(byte[] dst, byte[] src, int length, int seq) {
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

    private record Check(int rc, String out) {
    }

    private Check check(String name) {
        assertThat(exit).as("guest suite exit code; harness output:%n%s", guest.tail()).isZero();
        String rc = guest.read("check-" + name + ".rc").orElse(null);
        assertThat(rc).as("check %s did not run:%n%s%n%s", name, guest.read("main.log").orElse(""), guest.tail())
                .isNotNull();
        return new Check(Integer.parseInt(rc.strip()), guest.read("check-" + name + ".out").orElse(""));
    }

    private Check passes(String name) {
        Check c = check(name);
        assertThat(c.rc()).as("%s: %s", name, c.out()).isZero();
        return c;
    }

    private List<String> wireHex() throws IOException {
        return CliHilTest.readPcap(Path.of(env.get("NICUP_HIL_NIC0_PCAP"))).stream().map(HexFormat.of()::formatHex)
                .toList();
    }

    // ---- the miniport in one JVM -------------------------------------------------------------------

    @Test
    void theMiniportInitializesOnTheModernDeviceNegotiatingAccessPlatform() {
        assertThat(passes("main-driver-entry").out()).contains("LOADED");
        assertThat(passes("main-initialize").out()).contains("SUCCESS", "interrupts=MSIX",
                "features=VERSION_1 ACCESS_PLATFORM MAC STATUS CTRL_VQ CTRL_RX");
        assertThat(passes("main-mac").out()).contains(HexFormat.of().formatHex(mac));
        assertThat(passes("main-register-dump").out()).contains("device_status", "ACKNOWLEDGE DRIVER FEATURES_OK DRIVER_OK",
                "q1.queue_notify_off", "LINK_UP");
    }

    @Test
    void theOfflineSelfTestsPassOnQemusDeviceAndAnMsixVectorFires() {
        assertThat(passes("main-selftest-capabilities").out()).contains("COMMON_CFG bar=4", "NOTIFY_CFG bar=4");
        assertThat(passes("main-selftest-features").out()).contains("ACCESS_PLATFORM");
        passes("main-selftest-queues");
        assertThat(passes("main-selftest-interrupt").out()).contains("PASS", "MSI-X vector 3 fired");
        assertThat(passes("main-selftest-link").out()).contains("PASS");
        assertThat(passes("main-selftest-loopback").out()).contains("SKIPPED");
    }

    @Test
    void framesTheMiniportSendsAreOnTheWireByteForByte() throws IOException {
        passes("main-restart");
        passes("main-tx");
        List<String> wire = wireHex();
        for (byte[] f : mainTx()) {
            assertThat(wire).contains(HexFormat.of().formatHex(f));
        }
    }

    @Test
    void framesTheHostInjectsReachTheMiniportByteForByte() {
        assertThat(mac).as("the guest never signalled it was receiving").isNotNull();
        passes("main-rx");
        List<String> got = guest.read("main-rx-frames.hex").orElse("").lines().toList();
        List<String> sent = mainRx().stream().map(HexFormat.of()::formatHex).toList();
        assertThat(got).containsAll(sent);
        assertThat(passes("main-statistics").out()).contains("out_ucast=8", "rxq0_frames", "txq0_frames=8");
    }

    @Test
    void pauseHaltAndUnloadLeaveNothingAndTheVerifierIsClean() {
        assertThat(passes("main-halt").out()).contains("live_regions=0", "bus_master=false");
        passes("main-unload");
        assertThat(passes("main-verifier").out()).contains("violations=[]");
        assertThat(guest.read("check-main-exception.rc")).isEmpty();
    }

    // ---- scripts/nicup ----------------------------------------------------------------------------------

    /** The suite's last step: surprise-removal.sh hot-unplugs NIC 1, the tap virtio-net (run-guest --root-port 1) with sends in flight. */
    @Test
    void theKernelTakesTheNicBackMidTrafficAndNicupReleasesItSoQemuDeletesIt() {
        GuestRemover.assertTheNicWasTakenBackMidTraffic(guest, removal, env.get("NICUP_HIL_NIC1_BDF"), name -> passes(name).out());
    }

    @Test
    void listBindAndUnbindRestoreMoveTheNicBetweenItsStates() {
        assertThat(passes("list").out()).contains(env.get("NICUP_HIL_NIC0_BDF"), "1af4:1041");
        assertThat(passes("bind").out()).contains("bound to vfio-pci");
        assertThat(passes("unbind").out()).contains("released from vfio-pci");
        assertThat(passes("list-after").out()).contains("\"bdf\":\"" + env.get("NICUP_HIL_NIC0_BDF") + "\"");
    }

    /**
     * The safety check (virtio-in-use.sh): virtio_net registers its interface on the virtio device below the
     * PCI function ({@code virtioN/net/eth0}); an interface there that is up with an address is the one
     * carrying a VM's session, and bind must refuse it (exit 6) and leave it as it was; --force takes it.
     */
    @Test
    void bindRefusesTheNicWhileVirtioNetHasItUpWithAnAddressAndForceTakesIt() {
        String bdf = env.get("NICUP_HIL_NIC0_BDF");
        String iface = guest.read("in-use-iface").orElse("").strip();
        assertThat(iface).as("virtio_net never registered an interface: %s", guest.read("in-use-setup.log").orElse(""))
                .isNotEmpty();
        assertThat(passes("in-use-list").out()).contains("\"bdf\":\"" + bdf + "\"", "\"driver\":\"virtio-pci\"",
                "\"interfaces\":[\"" + iface + "\"]");

        Check refused = check("in-use-bind");
        assertThat(refused.rc()).as(refused.out()).isEqualTo(6);
        assertThat(refused.out().strip().lines()).singleElement().asString()
                .startsWith("nicup: network interface in use: bdf=" + bdf + " interface=" + iface + " up=true")
                .contains("ipv4=[192.0.2.1]", "--force");
        assertThat(passes("in-use-after").out().lines()).contains("pci_driver=virtio-pci", "virtio_driver=virtio_net")
                .anySatisfy(l -> assertThat(l).startsWith("operstate=up "))
                .anySatisfy(l -> assertThat(l).contains(iface, "inet 192.0.2.1/24"));

        assertThat(passes("in-use-force").out()).contains(bdf + ": bound to vfio-pci (was virtio-pci)");
        assertThat(passes("in-use-restore").out()).contains("driver now virtio-pci");
    }

    @Test
    void infoShowsTheModernDeviceAndItsCapabilities() {
        assertThat(passes("info").out()).contains("1af4:1041", "BAR4 mem64", "MSI-X", "table_size=4",
                "virtio=COMMON_CFG bar=4", "virtio=NOTIFY_CFG bar=4 bar_offset=0x3000", "notify_off_multiplier=4",
                "TYPE1v2");
    }

    @Test
    void bringupReportsTheMacQemuWasGiven() {
        String out = passes("bringup").out();
        assertThat(out.toLowerCase(Locale.ROOT)).contains(env.get("NICUP_HIL_NIC0_MAC").toLowerCase(Locale.ROOT));
        assertThat(out).contains("MiniportInitializeEx", "MiniportRestart", "MiniportHaltEx", "no violations",
                "bringup: ok");
    }

    @Test
    void selftestRegsAndStatsWork() {
        assertThat(passes("selftest").out()).contains("capabilities", "features", "interrupt", "link",
                "loopback", "SKIPPED");
        assertThat(passes("regs").out()).contains("device_feature[1]", "VERSION_1 ACCESS_PLATFORM", "device_status",
                "q0.queue_desc", "LINK_UP");
        assertThat(passes("stats").out()).contains("queue counters (kept by the driver", "rxq0_frames", "txq0_frames",
                "ctrlq_commands");
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
                guest.read("conformance-peer.xml").orElse(""), partner, List.of());
    }

    @Test
    void loopbackIsNotSupportedWithExit4() {
        Check c = check("loopback");
        assertThat(c.rc()).as(c.out()).isEqualTo(4);
        assertThat(c.out().strip().lines()).hasSize(1);
        assertThat(c.out()).contains("loopback not supported");
    }

    @Test
    void framesNicupSendsReachTheWireByteForByte() throws IOException {
        passes("send-gen");
        passes("send-pcap");
        List<String> wire = wireHex();
        for (byte[] f : cliTx) {
            assertThat(wire).contains(HexFormat.of().formatHex(f));
        }
        assertThat(CliHilTest.readPcap(Path.of(env.get("NICUP_HIL_NIC0_PCAP"))).stream()
                .filter(f -> f.length == 128 && f[0] == 0x02 && f[5] == 0x01)).hasSize(10);
    }

    @Test
    void framesTheHostInjectsAreInNicupsPcapByteForByte() throws IOException {
        Check c = passes("recv");
        assertThat(cliRx).as("the guest never signalled it was receiving").isNotNull();
        List<byte[]> got = CliHilTest.readPcap(guest.results().resolve("recv.pcap"));
        assertThat(got).as(c.out()).hasSize(COUNT);
        List<String> sent = cliRx.stream().map(HexFormat.of()::formatHex).toList();
        for (byte[] f : got) {
            assertThat(sent).contains(HexFormat.of().formatHex(f));
        }
    }

    // ---- NIC 1: the tap with virtio-net headers (run-guest --tap 1, docs/hardware-reference.md D.7) ------------

    /**
     * checksum-offload, large-send and rss through the reflector: QEMU's device with a vnet_hdr tap negotiates CSUM,
     * GUEST_CSUM, HOST_TSO4/6 and HASH_REPORT, the host kernel finishes what the driver left to the device, and
     * every frame the reflector read was finished (no NEEDS_CSUM, no GSO type in its header).
     */
    @Test
    void theOffloadChecksPassOnTheTapNicThroughTheHostsReflector() {
        passes("tap-bind");
        String out = passes("conformance-tap").out();
        assertThat(out).as(tap.reflected()).containsPattern("checksum-offload +PASS").containsPattern("large-send +PASS")
                .containsPattern("rss +PASS").doesNotContainPattern("\\bFAIL\\b")
                .contains("verifier (RECORD): passed, no violations", "conformance: 3 passed, 0 failed, 0 skipped");
        GuestLinkPartner.assertTheOffloadChecksPassed(out, List.of("checksum-offload", "large-send", "rss"));
        assertThat(guest.read("conformance-tap.xml").orElse("")).contains("tests=\"3\"", "failures=\"0\"",
                "skipped=\"0\"");
        tap.assertEveryFrameReflectedFinished();
        passes("tap-unbind");
    }

    /**
     * {@code nicup rss} through the reflector on the tap NIC with 4 queue pairs ({@code --tap-queues 4}: mq=on,
     * docs/ndis-contract.md §21.1): QEMU's device steers each frame by the RSS_CONFIG table the driver sent, so 64
     * flows land on the driver's four receive queues, each on the queue its table entry names, with the hash QEMU
     * reported equal to the software Toeplitz.
     */
    @Test
    void rssSpreadsSixtyFourFlowsOverTheFourQueuePairsOfQemusVirtioNet() {
        List<String> lines = passes("rss-tap").out().lines().filter(l -> l.matches("\\d+ .*|QUEUE .*|rss: .*")).toList();
        assertThat(lines.getFirst()).isEqualTo("QUEUE  FRAMES  SHARE  EXPECTED  MISMATCHES");
        assertThat(lines).hasSize(6);
        for (int q = 0; q < 4; q++) {
            String[] cells = lines.get(1 + q).split("\\s+");
            assertThat(cells[0]).isEqualTo(Integer.toString(q));
            assertThat(Long.parseLong(cells[1])).as("queue %d frames", q).isPositive().isEqualTo(Long.parseLong(cells[3]));
            assertThat(cells[4]).as("queue %d mismatches", q).isEqualTo("0");
        }
        assertThat(lines.getLast()).startsWith("rss: PASS: 64 frames of 64 flows").endsWith("; 4 queues reached");
    }

    /**
     * {@code send --csum-offload on}: the driver leaves the TCP/UDP checksum to the device (in QEMU's filter-dump
     * it is still the pseudo-header sum); in the reflector's capture, after the host kernel completed it, every
     * IPv4 header, TCP and UDP checksum is right by tshark's validation.
     */
    @Test
    void framesSentWithChecksumOffloadReachTheWireWithEveryChecksumRight() throws Exception {
        String[] protos = {"tcp4", "udp4", "tcp6", "udp6"};
        for (int i = 0; i < protos.length; i++) {
            String p = protos[i];
            passes("send-csum-" + p);
            String l4 = p.startsWith("tcp") ? "tcp" : "udp";
            String ip = p.endsWith("4") ? "ip.checksum.status" : "frame.len";
            String dst = "eth.dst==02:00:00:00:00:7" + (i + 1);
            List<String> seen = TapPartner.tshark(tap.capture(), dst, "frame.len", ip, l4 + ".checksum.status");
            assertThat(seen).as("%s in the reflector's capture; %s", p, tap.reflected()).hasSize(3);
            for (String line : seen) {
                String[] f = line.split(",");
                assertThat(f[2]).as("%s %s checksum: %s", p, l4, line).isEqualTo("1");   // 1 = Good
                if (p.endsWith("4")) {
                    assertThat(f[1]).as("%s IPv4 header checksum: %s", p, line).isEqualTo("1");
                }
            }
            // filter-dump sees each frame twice: as the driver handed it to the device (checksum left to it) and
            // as the reflector handed it back (NEEDS_CSUM, the pseudo-header sum in the field): 6 times "Bad".
            // A driver that computed the checksum itself would show 3 frames with it right.
            List<String> left = TapPartner.tshark(env.get("NICUP_HIL_NIC1_PCAP"), dst, l4 + ".checksum.status");
            assertThat(left).as("%s in QEMU's filter-dump", p).hasSize(6).allMatch(s -> s.equals("0"));
        }
    }

    /**
     * {@code send --lso 1460} of one 65535-byte TCP/IPv4 frame: 65481 payload bytes leave as 44 segments of 1460
     * and one of 1241, sequence numbers 1460 apart, IP IDs one apart, PSH only on the last (LSOv2), every
     * checksum right (docs/hardware-reference.md D.7: the host kernel cuts it, as QEMU hands the large send to the tap whole).
     */
    @Test
    void oneLargeSendLeavesAsMssSizedSegmentsWithConsecutiveSequenceNumbers() throws Exception {
        passes("send-lso");
        tap.assertOneLargeSendSegmented("02:00:00:00:00:75");
    }
}
