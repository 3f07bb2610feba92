package io.nicup.cli.hil;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.vfio.hil.QemuGuest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The far end of a guest NIC's cable while the guest runs {@code nicup conformance --peer reflect
 * --link-command cli/src/test/hil/set-link.sh} (docs/ndis-contract.md §18; scripts/hil/run-guest "Link
 * protocol"): every frame QEMU sends to the NIC's TX_PORT goes back to its INJECT_PORT unchanged, and each
 * link-request-N the guest writes is carried out with QEMU's set_link over the --qmp socket and answered with
 * link-done-N. Runs from the guest's ready file until the check's .rc file appears, within a deadline.
 */
final class GuestLinkPartner {

    private static final Duration QMP_DEADLINE = Duration.ofSeconds(10);

    private final QemuGuest guest;
    private final int txPort;
    private final int injectPort;
    private final Path qmp;
    private final String netdev;
    private final AtomicLong reflected = new AtomicLong();
    private final List<String> links = new ArrayList<>();

    private GuestLinkPartner(QemuGuest guest, Map<String, String> env, int nic) {
        this.guest = guest;
        this.txPort = Integer.parseInt(env.get("NICUP_HIL_NIC" + nic + "_TX_PORT"));
        this.injectPort = Integer.parseInt(env.get("NICUP_HIL_NIC" + nic + "_INJECT_PORT"));
        this.qmp = Path.of(env.get("NICUP_HIL_QMP"));
        this.netdev = env.get("NICUP_HIL_NIC" + nic + "_NETDEV");
    }

    /**
     * Waits for {@code ready} (the guest is about to run the check), then reflects and answers link requests
     * until {@code doneFile} appears or {@code timeout} passes; what it did, for the test's messages.
     */
    static String serve(QemuGuest guest, String ready, String doneFile, Duration timeout) {
        return serve(guest, 0, ready, doneFile, timeout);
    }

    /** {@link #serve} for NIC {@code nic} of the guest (run-guest's NICi). */
    static String serve(QemuGuest guest, int nic, String ready, String doneFile, Duration timeout) {
        if (!guest.awaitFile(ready, Duration.ofMinutes(25))) {
            return "the guest never created " + ready;
        }
        GuestLinkPartner p = new GuestLinkPartner(guest, guest.env(), nic);
        return p.serveUntil(doneFile, timeout);
    }

    /**
     * The suite's conformance-peer check: packet-filters, priority and link, and the offload checks {@code offloads}
     * the guest's NIC runs through the reflection (the ones QEMU's device performs), passed with the verifier
     * clean, the JUnit file counts them, and the host pulled and plugged the link three times.
     */
    static void assertTheChecksPassed(String out, String junitXml, String partner, List<String> offloads) {
        int checks = 3 + offloads.size();
        assertThat(out).as(partner).containsPattern("packet-filters +PASS").containsPattern("link +PASS")
                .containsPattern("priority +PASS").doesNotContainPattern("\\bFAIL\\b")
                .contains("verifier (RECORD): passed, no violations", "conformance: " + checks + " passed, 0 failed, 0 skipped");
        assertTheOffloadChecksPassed(out, offloads);
        assertThat(junitXml).contains("tests=\"" + checks + "\"", "failures=\"0\"", "skipped=\"0\"");
        assertThat(partner).contains("link requests [down=ok, up=ok, down=ok, up=ok, down=ok, up=ok]");
    }

    /** The evidence each of {@code offloads} (checksum-offload, large-send, rss) gives when it passes through a reflector. */
    static void assertTheOffloadChecksPassed(String out, List<String> offloads) {
        if (offloads.contains("checksum-offload")) {
            assertThat(out).containsPattern("checksum-offload +PASS .* transmit \\[TCP/IPv4, UDP/IPv4, TCP/IPv6, UDP/IPv6\\]:"
                    + " 16 frames left with every checksum right and 4 without a request untouched \\(seen as they came"
                    + " back from the reflector\\); receive \\[TCP/IPv4, UDP/IPv4, TCP/IPv6, UDP/IPv6\\]");
        }
        if (offloads.contains("large-send")) {
            assertThat(out).containsPattern("large-send +PASS .* TCP/IPv4: 3 large sends of 60000, 1461 and 4380 payload"
                    + " bytes, MSS 1460, as 47 segments; TCP/IPv6: .* each segment left once, byte for byte \\(seen as it"
                    + " came back from the reflector\\)");
        }
        if (offloads.contains("rss")) {
            assertThat(out).containsPattern("rss +PASS .* 132 frames of 8 TCP and 8 UDP flows over IPv4 and IPv6 and a"
                    + " non-IP frame each carried the hash the software Toeplitz gives");
        }
    }

    private String serveUntil(String doneFile, Duration timeout) {
        AtomicBoolean stop = new AtomicBoolean();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), txPort))) {
            socket.setSoTimeout(100);
            Thread reflector = Thread.ofPlatform().name("hil-reflector").start(() -> reflect(socket, stop));
            long deadline = System.nanoTime() + timeout.toNanos();
            int next = 1;
            while (guest.read("link-done-" + next).isPresent()) {
                next++;                                    // answered for an earlier check or NIC
            }
            while (guest.read(doneFile).isEmpty() && System.nanoTime() - deadline < 0) {
                if (guest.read("link-request-" + next).isPresent()) {
                    answer(next++);
                } else {
                    guest.awaitFile("link-request-" + next, Duration.ofMillis(200));
                }
            }
            stop.set(true);
            reflector.join(Duration.ofSeconds(5));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "reflected " + reflected.get() + " frames; link requests " + links;
    }

    private void reflect(DatagramSocket socket, AtomicBoolean stop) {
        byte[] buf = new byte[65536];
        InetAddress lo = InetAddress.getLoopbackAddress();
        while (!stop.get()) {
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(in);
                socket.send(new DatagramPacket(buf, in.getLength(), lo, injectPort));
                reflected.incrementAndGet();
            } catch (SocketTimeoutException e) {
                // no frame this 100 ms: look at the stop flag again
            } catch (IOException e) {
                return;
            }
        }
    }

    /** link-request-N: QEMU's set_link, then link-done-N with "ok" or "error: ...". */
    private void answer(int n) {
        String want = guest.read("link-request-" + n).orElse("").strip();
        String result;
        if (!want.equals("down") && !want.equals("up")) {
            result = "error: link-request-" + n + " asks for '" + want + "'";
        } else {
            result = setLink(want.equals("up"));
        }
        links.add(want + "=" + result);
        try {
            Path tmp = guest.results().resolve(".link-done-" + n + ".tmp");
            Files.writeString(tmp, result + "\n");
            Files.move(tmp, guest.results().resolve("link-done-" + n), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** QMP: greeting, qmp_capabilities, set_link; "ok" or "error: ..." within {@link #QMP_DEADLINE}. */
    private String setLink(boolean up) {
        CompletableFuture<String> exchange = CompletableFuture.supplyAsync(() -> qmpSetLink(up));
        try {
            return exchange.get(QMP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return "error: QMP did not answer set_link within " + QMP_DEADLINE.toSeconds() + " s";
        } catch (ExecutionException e) {
            return "error: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "error: interrupted";
        }
    }

    private String qmpSetLink(boolean up) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(qmp));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8));
            String greeting = in.readLine();
            if (greeting == null || !greeting.contains("\"QMP\"")) {
                return "error: no QMP greeting: " + greeting;
            }
            String caps = command(ch, in, "{\"execute\":\"qmp_capabilities\"}");
            if (!caps.startsWith("{\"return\"")) {
                return "error: qmp_capabilities: " + caps;
            }
            String set = command(ch, in, "{\"execute\":\"set_link\",\"arguments\":{\"name\":\"" + netdev
                    + "\",\"up\":" + up + "}}");
            return set.startsWith("{\"return\"") ? "ok" : "error: set_link: " + set;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command; its reply line (events, which QMP may send in between, are passed over). */
    static String command(SocketChannel ch, BufferedReader in, String json) throws IOException {
        ch.write(ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8)));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.contains("\"return\"") || line.contains("\"error\"")) {
                return line.strip();
            }
        }
        return "(QMP closed the connection)";
    }
}
