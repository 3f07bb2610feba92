package io.nicup.vfio.hil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One throwaway QEMU guest started through {@code scripts/hil/run-guest}, running one command, for the
 * hardware-in-the-loop tests. Every wait has a deadline; a guest that does not come up fails the test
 * with the harness's own message and the console tail, never a hang.
 */
public final class QemuGuest implements AutoCloseable {

    private final Path results;
    private final Process process;
    private final Path log;

    /** A guest for the run of {@code process} (package-private: the tests of {@link #retryingWedged}). */
    QemuGuest(Path results, Process process, Path log) {
        this.results = results;
        this.process = process;
        this.log = log;
    }

    /** The repository root (set by the build as {@code nicup.repo}). */
    public static Path repo() {
        return Path.of(System.getProperty("nicup.repo", "..")).toAbsolutePath().normalize();
    }

    /**
     * Boots a guest with {@code runGuestArgs} (e.g. {@code --nic e1000e}) and {@code command} after
     * {@code --}. Returns at once; {@link #awaitExit} waits for the end.
     */
    public static QemuGuest start(List<String> runGuestArgs, List<String> command) {
        try {
            Path results = Files.createTempDirectory("nicup-hil-");
            Path log = results.resolveSibling(results.getFileName() + ".run-guest.log");
            List<String> cmd = new ArrayList<>();
            cmd.add(repo().resolve("scripts/hil/run-guest").toString());
            cmd.add("--results");
            cmd.add(results.toString());
            cmd.addAll(runGuestArgs);
            cmd.add("--");
            cmd.addAll(command);
            Process p = new ProcessBuilder(cmd).directory(repo().toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new QemuGuest(results, p, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A suite's whole conversation with one guest: boot, the host's side of it, the wait for the end. */
    @FunctionalInterface
    public interface Conversation {
        QemuGuest run() throws Exception;
    }

    /**
     * Runs {@code conversation} and, when run-guest ended it because the guest kernel wedged, runs it once
     * more on a fresh guest, saying so. A wedge is the emulator's (a vCPU whose timer stops firing under
     * TCG), not anything the guest's command can cause, and run-guest cannot retry it itself: the host's
     * side of the conversation (frames injected, links pulled, a NIC unplugged) has to start over too.
     * Returns the last attempt's guest, so a second wedge fails the tests with its own message.
     */
    public static QemuGuest retryingWedged(String suite, Conversation conversation) throws Exception {
        QemuGuest first = conversation.run();
        if (!first.wedged()) {
            return first;
        }
        System.out.println(suite + ": the guest kernel wedged (" + first.results().resolve("console.log")
                + "); running the whole suite again on a fresh guest");
        first.close();
        return conversation.run();
    }

    public Path results() {
        return results;
    }

    /**
     * What ended the run when it was not the command (run.env's NICUP_HIL_FAILURE: boot-hang, wedged,
     * timeout, ...); empty while the run goes on and when the command ran to its end.
     */
    public Optional<String> failure() {
        return Optional.ofNullable(pairs("run.env").get("NICUP_HIL_FAILURE")).filter(v -> !v.equals("-"));
    }

    /** True when run-guest ended the run because the guest kernel's timer stopped firing (a TCG hang). */
    public boolean wedged() {
        return failure().filter("wedged"::equals).isPresent();
    }

    /** Waits for the guest to finish; returns the command's exit code (124/125 are harness failures). */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                process.waitFor(10, TimeUnit.SECONDS);
                process.destroyForcibly();
                throw new AssertionError("guest did not finish within " + timeout + ": " + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the guest", e);
        }
    }

    /** Waits until the guest creates {@code name} in the results share; false if the guest ended first. */
    public boolean awaitFile(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path f = results.resolve(name);
        while (System.nanoTime() - deadline < 0) {
            if (Files.exists(f)) {
                return true;
            }
            if (!process.isAlive()) {
                return Files.exists(f);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** KEY=VALUE pairs of guest.env and nics.env. */
    public Map<String, String> env() {
        return pairs("guest.env", "nics.env");
    }

    /** The KEY=VALUE lines of {@code files} in the results share (comments skipped; a later file wins). */
    private Map<String, String> pairs(String... files) {
        Map<String, String> env = new HashMap<>();
        for (String file : files) {
            read(file).ifPresent(text -> text.lines().forEach(line -> {
                int eq = line.indexOf('=');
                if (eq > 0 && !line.startsWith("#")) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }));
        }
        return env;
    }

    public Optional<String> read(String name) {
        Path f = results.resolve(name);
        try {
            return Files.exists(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends each frame as one UDP datagram to QEMU's socket netdev of a NIC (one raw Ethernet frame each). */
    public static void inject(int port, List<byte[]> frames) {
        try (DatagramSocket s = new DatagramSocket()) {
            InetAddress lo = InetAddress.getLoopbackAddress();
            for (byte[] f : frames) {
                s.send(new DatagramPacket(f, f.length, lo, port));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The harness log and the last console lines, for failure messages. */
    public String tail() {
        StringBuilder sb = new StringBuilder();
        try {
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                sb.append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (IOException e) {
            sb.append("(run-guest log unreadable: ").append(e.getMessage()).append(')');
        }
        read("console.log").ifPresent(c -> {
            List<String> lines = c.lines().toList();
            sb.append("\n--- console tail ---\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        });
        return sb.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
