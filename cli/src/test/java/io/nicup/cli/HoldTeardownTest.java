package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `nicup bringup --hold` in a process of its own, stopped with SIGTERM as a user's Ctrl-C or a service
 * manager would: the teardown still runs Pause → Halt → Unload → Deregister, prints the summary and exits 130.
 */
class HoldTeardownTest {

    @Test
    void sigtermWhileHoldingTearsDownInOrderAndExits130() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "io.nicup.cli.Main", "bringup", "mock:82574L", "--hold"))
                .start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "";
            }
        });
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean running = false;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("Running: press Ctrl-C")) {
                    running = true;
                    assertThat(out).doesNotContain("MiniportHaltEx");
                    p.toHandle().destroy(); // SIGTERM, leaving our end of the pipes open
                }
            }
            assertThat(running).as("the adapter reached Running; output:%n%s", out).isTrue();
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(p.exitValue()).as(out + err.get()).isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(out.toString()).contains("MiniportPause", "MiniportHaltEx", "MiniportDriverUnload",
                "NdisMDeregisterMiniportDriver", "no violations");
        assertThat(err.get()).contains("nicup: interrupted: teardown completed");
    }
}
