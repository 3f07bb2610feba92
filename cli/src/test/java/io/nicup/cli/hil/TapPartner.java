package io.nicup.cli.hil;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.hil.QemuGuest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The host side of a run-guest {@code --tap I} NIC for a HIL test (docs/hardware-reference.md D.7): the
 * {@link TapReflector} on the run's reflector tap, its capture ({@code RESULTS/tap-reflector.pcap}), tshark over it
 * with checksum validation on, and the assertions on what the host kernel made of the frames the guest sent. Shared
 * by the families whose guest puts a NIC on the tap (virtio-net, igb, e1000e).
 */
final class TapPartner implements AutoCloseable {

    private final QemuGuest guest;
    private final TapReflector reflector;
    private final String error;

    private TapPartner(QemuGuest guest, TapReflector reflector, String error) {
        this.guest = guest;
        this.reflector = reflector;
        this.error = error;
    }

    /**
     * run-guest wrote guest.env, with the reflector's tap of NIC {@code nic}, before QEMU started: attach to it before
     * the guest boots. Never throws: a reflector that could not start is reported by the assertions.
     */
    static TapPartner start(QemuGuest guest, int nic) {
        if (!guest.awaitFile("guest.env", Duration.ofMinutes(2))) {
            return new TapPartner(guest, null, "run-guest never wrote guest.env");
        }
        String tap = guest.env().get("NICUP_HIL_NIC" + nic + "_REFLECT_TAP");
        try {
            return new TapPartner(guest, TapReflector.start(tap, guest.results().resolve("tap-reflector.pcap")), "");
        } catch (IOException e) {
            return new TapPartner(guest, null, "the reflector could not attach to tap " + tap + ": " + e.getMessage());
        }
    }

    /**
     * What a user of an Intel guest sees of cli/src/test/hil/intel-tap.sh: large-send and checksum-offload pass
     * through the host's reflector (QEMU's igb and e1000e hand each large send to the tap whole with a GSO type and
     * each checksum asked for as NEEDS_CSUM, the host kernel finishes them: PSH on the last segment only,
     * docs/hardware-reference.md B.17), and every frame the reflector read was finished. {@code passedOutput} asserts
     * that a check passed and returns its output.
     */
    void assertTheIntelTapChecksPassed(Function<String, String> passedOutput) {
        passedOutput.apply("tap-bind");
        String out = passedOutput.apply("conformance-tap");
        assertThat(out).as(reflected()).containsPattern("large-send +PASS").containsPattern("checksum-offload +PASS")
                .doesNotContainPattern("\\bFAIL\\b")
                .contains("verifier (RECORD): passed, no violations", "conformance: 2 passed, 0 failed, 0 skipped");
        GuestLinkPartner.assertTheOffloadChecksPassed(out, List.of("checksum-offload", "large-send"));
        assertThat(guest.read("conformance-tap.xml").orElse("")).contains("tests=\"2\"", "failures=\"0\"", "skipped=\"0\"");
        assertEveryFrameReflectedFinished();
        passedOutput.apply("tap-unbind");
    }

    /** What the reflector did, or why it never ran: for the failure messages. */
    String reflected() {
        return reflector == null ? error : reflector.summary();
    }

    /** The reflector's capture: every frame as the host kernel finished it. */
    String capture() {
        return guest.results().resolve("tap-reflector.pcap").toString();
    }

    /** The reflector ran, sent frames back, and every frame it read was finished (no NEEDS_CSUM, no GSO type). */
    void assertEveryFrameReflectedFinished() {
        assertThat(reflector).as(error).isNotNull();
        assertThat(reflector.reflected()).as(reflected()).isPositive();
        assertThat(reflector.unfinished()).as(reflected()).isZero();
    }

    /**
     * One {@code send --lso 1460} of a 65535-byte TCP/IPv4 frame to {@code dst}: its 65481 payload bytes are in the
     * capture as 44 segments of 1460 and one of 1241, sequence numbers 1460 apart, IP IDs one apart, PSH only on the
     * last (LSOv2, docs/hardware-reference.md B.17), every IPv4 header and TCP checksum right by tshark.
     */
    void assertOneLargeSendSegmented(String dst) throws Exception {
        List<String> segs = tshark(capture(), "eth.dst==" + dst, "tcp.seq_raw", "tcp.len", "ip.len", "ip.id",
                "tcp.flags.push", "ip.checksum.status", "tcp.checksum.status");
        assertThat(segs).as(reflected()).hasSize(45);
        long seq0 = Long.parseLong(segs.getFirst().split(",")[0]);
        int id0 = Integer.decode(segs.getFirst().split(",")[3]);
        for (int i = 0; i < segs.size(); i++) {
            String[] f = segs.get(i).split(",");
            int len = i < 44 ? 1460 : 1241;
            assertThat(Long.parseLong(f[0])).as("segment %d: %s", i, segs.get(i)).isEqualTo((seq0 + 1460L * i) & 0xFFFFFFFFL);
            assertThat(Integer.parseInt(f[1])).as("segment %d: %s", i, segs.get(i)).isEqualTo(len);
            assertThat(Integer.parseInt(f[2])).as("segment %d: %s", i, segs.get(i)).isEqualTo(len + 40);
            assertThat(Integer.decode(f[3])).as("segment %d: %s", i, segs.get(i)).isEqualTo((id0 + i) & 0xFFFF);
            assertThat(f[4]).as("segment %d PSH: %s", i, segs.get(i)).isIn(i < 44 ? List.of("0", "False") : List.of("1", "True"));
            assertThat(f[5] + "," + f[6]).as("segment %d checksums: %s", i, segs.get(i)).isEqualTo("1,1");
        }
        System.out.println("tap large send to " + dst + ": " + segs.size() + " segments, first " + segs.getFirst()
                + ", last " + segs.getLast() + " (seq,len,ip.len,ip.id,psh,ip csum,tcp csum)");
    }

    /** tshark over {@code pcap} with its checksum validation on: one line of {@code fields} per frame {@code filter} keeps. */
    static List<String> tshark(String pcap, String filter, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap, "-o", "tcp.check_checksum:TRUE", "-o",
                "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-Y", filter, "-T", "fields",
                "-E", "separator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark %s", cmd).isZero();
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Stops the reflector (idempotent); the capture stays. */
    @Override
    public void close() {
        if (reflector != null) {
            reflector.close();
        }
    }
}
