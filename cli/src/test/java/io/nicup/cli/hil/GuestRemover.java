package io.nicup.cli.hil;

import io.nicup.vfio.hil.QemuGuest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The host side of {@code nicup conformance --remove-command cli/src/test/hil/remove-device.sh} (docs/ndis-contract.md
 * §22; scripts/hil/run-guest "Removal protocol"): answers the guest's remove-request-1 with QEMU's
 * {@code device_del} over the --qmp socket and remove-done-1, then, on the same connection, waits for QEMU's
 * {@code DEVICE_DELETED} event (it comes once the guest kernel finished its remove, which waits for nicup to
 * release the device) and asks {@code query-pci} whether the device is still there.
 */
final class GuestRemover {

    /** pciehp's 5 s, the request, nicup's pause and halt and release under TCG, and margin. */
    static final Duration DELETED_DEADLINE = Duration.ofMinutes(3);

    /** What the host saw, for the test's assertions and messages. */
    record Outcome(String deviceDel, boolean deleted, boolean stillListed, String detail) {

        static Outcome none(String why) {
            return new Outcome("not run", false, true, why);
        }

        @Override
        public String toString() {
            return "device_del=" + deviceDel + " DEVICE_DELETED=" + (deleted ? "seen" : "not seen") + " query-pci="
                    + (stillListed ? "still lists the NIC" : "no longer lists the NIC") + " (" + detail + ")";
        }
    }

    private GuestRemover() {
    }

    /** Waits for {@code ready}, then for the guest's request until {@code doneFile} appears or {@code timeout}. */
    static Outcome serve(QemuGuest guest, String ready, String doneFile, Duration timeout) {
        // Bounded by the guest: awaitFile returns as soon as the guest has ended. The removal is a suite's last
        // step, so under a slow emulation it may come more than half an hour after the steps before it.
        if (!guest.awaitFile(ready, Duration.ofMinutes(90))) {
            return Outcome.none("the guest never created " + ready);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> request = guest.read("remove-request-1");
        while (request.isEmpty() && guest.read(doneFile).isEmpty() && System.nanoTime() - deadline < 0) {
            guest.awaitFile("remove-request-1", Duration.ofMillis(500));
            request = guest.read("remove-request-1");
        }
        if (request.isEmpty()) {
            return Outcome.none("the guest never wrote remove-request-1");
        }
        String id = request.get().strip();
        Path qmp = Path.of(guest.env().get("NICUP_HIL_QMP"));
        CompletableFuture<Outcome> exchange = new CompletableFuture<>();
        SocketChannel[] open = new SocketChannel[1];
        Thread.ofPlatform().name("hil-remover").start(() -> {
            try {
                exchange.complete(unplug(guest, qmp, id, open));
            } catch (RuntimeException | IOException e) {
                exchange.completeExceptionally(e);
            }
        });
        try {
            return exchange.get(DELETED_DEADLINE.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            closeQuietly(open[0]);
            return new Outcome("sent", false, true, "QMP did not answer within " + DELETED_DEADLINE.toSeconds() + " s");
        } catch (ExecutionException e) {
            return Outcome.none("error: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.none("interrupted");
        }
    }

    private static Outcome unplug(QemuGuest guest, Path qmp, String id, SocketChannel[] open) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            open[0] = ch;
            ch.connect(UnixDomainSocketAddress.of(qmp));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String greeting = in.readLine();
            if (greeting == null || !greeting.contains("\"QMP\"")) {
                answer(guest, "error: no QMP greeting: " + greeting);
                return Outcome.none("no QMP greeting: " + greeting);
            }
            GuestLinkPartner.command(ch, in, "{\"execute\":\"qmp_capabilities\"}");
            String del = GuestLinkPartner.command(ch, in, "{\"execute\":\"device_del\",\"arguments\":{\"id\":\"" + id + "\"}}");
            boolean ok = del.startsWith("{\"return\"");
            answer(guest, ok ? "ok" : "error: device_del: " + del);
            if (!ok) {
                return Outcome.none("device_del " + id + ": " + del);
            }
            long started = System.nanoTime();
            Pattern deleted = Pattern.compile("\"event\": ?\"DEVICE_DELETED\".*\"device\": ?\"" + Pattern.quote(id) + "\"");
            boolean seen = false;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (deleted.matcher(line).find()) {
                    seen = true;
                    break;
                }
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            String pci = GuestLinkPartner.command(ch, in, "{\"execute\":\"query-pci\"}");
            boolean listed = Pattern.compile("\"qdev_id\": ?\"" + Pattern.quote(id) + "\"").matcher(pci).find();
            return new Outcome("ok", seen, listed, id + " deleted " + millis + " ms after device_del");
        }
    }

    /**
     * What a user of the QEMU suites sees of cli/src/test/hil/surprise-removal.sh: the surprise-removal check passed with
     * every send in flight completed once, the adapter halted and the device released; the NIC gone from the guest's
     * sysfs; and on the host, QEMU accepted device_del, sent DEVICE_DELETED and no longer lists the NIC.
     * {@code passedOutput} asserts that a check passed and returns its output.
     */
    static void assertTheNicWasTakenBackMidTraffic(QemuGuest guest, Outcome removal, String bdf,
            Function<String, String> passedOutput) {
        passedOutput.apply("bind-removal");
        assertThat(passedOutput.apply("surprise-removal")).as(removal.toString())
                .containsPattern("surprise-removal +PASS .*\\b[1-9][0-9]* sends in flight at the removal request each"
                        + " completed once: .*; adapter halted with NdisHaltDeviceDisabled, device released and gone from the bus")
                .contains("verifier (RECORD): passed, no violations", "conformance: 1 passed, 0 failed, 0 skipped");
        assertThat(guest.read("removal.xml").orElse("")).contains("tests=\"1\"", "failures=\"0\"", "skipped=\"0\"");
        assertThat(passedOutput.apply("removal-sysfs")).contains(bdf + " gone from /sys/bus/pci/devices");
        assertThat(removal.deviceDel()).as(removal.toString()).isEqualTo("ok");
        assertThat(removal.deleted()).as(removal.toString()).isTrue();
        assertThat(removal.stillListed()).as(removal.toString()).isFalse();
    }

    /** remove-done-1, renamed into place. */
    private static void answer(QemuGuest guest, String result) {
        try {
            Path tmp = guest.results().resolve(".remove-done-1.tmp");
            Files.writeString(tmp, result + "\n");
            Files.move(tmp, guest.results().resolve("remove-done-1"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // the exchange is given up anyway
            }
        }
    }
}
