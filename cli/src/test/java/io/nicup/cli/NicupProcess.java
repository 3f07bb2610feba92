package io.nicup.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * nicup in a process of its own, for what an in-process run cannot show: signals, and standard input.
 * Standard output is collected in the background; standard error is read line by line so that a test can
 * act when a line appears ({@link #awaitErrLine}), then {@link #finish} collects the rest.
 */
final class NicupProcess {

    /** What the process printed and how it ended. */
    record Result(int exit, String out, String err) {
    }

    private final Process process;
    private final CompletableFuture<String> out;
    private final BufferedReader errReader;
    private final StringBuilder err = new StringBuilder();

    private NicupProcess(Process process) {
        this.process = process;
        this.out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        this.errReader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code io.nicup.cli.Main} with this test JVM's class path and native access enabled. */
    static NicupProcess start(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.nicup.cli.Main"));
        cmd.addAll(List.of(args));
        return new NicupProcess(new ProcessBuilder(cmd).start());
    }

    /**
     * Reads standard error until a line starts with {@code prefix} (true) or the stream ends (false);
     * bounded by the test's own timeout.
     */
    boolean awaitErrLine(String prefix) throws IOException {
        String line;
        while ((line = errReader.readLine()) != null) {
            err.append(line).append('\n');
            if (line.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** Same as {@link #awaitErrLine} but matching anywhere in the line. */
    boolean awaitErrContaining(String text) throws IOException {
        String line;
        while ((line = errReader.readLine()) != null) {
            err.append(line).append('\n');
            if (line.contains(text)) {
                return true;
            }
        }
        return false;
    }

    String errSoFar() {
        return err.toString();
    }

    Process process() {
        return process;
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    /** SIGTERM, what Ctrl-C's SIGINT and a service manager's stop both end in. */
    void terminate() {
        process.toHandle().destroy();
    }

    /** Waits (bounded) for the end and collects the rest of both streams. */
    Result finish() throws Exception {
        String line;
        while ((line = errReader.readLine()) != null) {
            err.append(line).append('\n');
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return new Result(process.exitValue(), out.get(60, TimeUnit.SECONDS), err.toString());
    }
}
