package io.nicup.vfio.hil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a HIL suite reads the end of a run-guest run, and runs its conversation again after a wedge only. */
class QemuGuestTest {

    @TempDir
    Path dir;

    private int runs;

    /** A finished run whose run.env says {@code failure} ({@code null}: run-guest never wrote run.env). */
    private QemuGuest ended(String failure) throws IOException, InterruptedException {
        Path results = Files.createDirectory(dir.resolve("run" + runs++));
        if (failure != null) {
            Files.writeString(results.resolve("run.env"),
                    "NICUP_HIL_EXIT=125\nNICUP_HIL_FAILURE=" + failure + "\nNICUP_HIL_BOOT_SECONDS=12.4\n");
        }
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return new QemuGuest(results, p, dir.resolve("run-guest.log"));
    }

    @Test
    void onlyAWedgeIsAWedge() throws Exception {
        assertThat(ended("wedged").wedged()).isTrue();
        assertThat(ended("wedged").failure()).contains("wedged");
        for (String other : new String[] {"-", "boot-hang", "timeout", "no-exit-code"}) {
            assertThat(ended(other).wedged()).as(other).isFalse();
        }
        assertThat(ended("-").failure()).isEmpty();
        assertThat(ended(null).failure()).isEmpty();
        assertThat(ended(null).wedged()).isFalse();
    }

    @Test
    void aWedgedConversationRunsOnceMoreOnAFreshGuestAndTheSecondIsKept() throws Exception {
        List<QemuGuest> booted = new ArrayList<>();
        List<String> plan = new ArrayList<>(List.of("wedged", "-"));
        QemuGuest kept = QemuGuest.retryingWedged("QemuGuestTest (simulated runs, no guest)", () -> {
            QemuGuest g = ended(plan.removeFirst());
            booted.add(g);
            return g;
        });
        assertThat(booted).hasSize(2);
        assertThat(kept).isSameAs(booted.get(1));
        assertThat(kept.wedged()).isFalse();
    }

    @Test
    void noOtherEndIsRunAgain() throws Exception {
        for (String end : new String[] {"-", "boot-hang", "boot-timeout", "timeout", "no-exit-code"}) {
            List<QemuGuest> booted = new ArrayList<>();
            QemuGuest kept = QemuGuest.retryingWedged("QemuGuestTest (simulated runs, no guest)", () -> {
                QemuGuest g = ended(end);
                booted.add(g);
                return g;
            });
            assertThat(booted).as(end).containsExactly(kept);
        }
    }

    @Test
    void aSecondWedgeIsNotRunAgainAndFailsWithItsOwnRun() throws Exception {
        List<QemuGuest> booted = new ArrayList<>();
        QemuGuest kept = QemuGuest.retryingWedged("QemuGuestTest (simulated runs, no guest)", () -> {
            QemuGuest g = ended("wedged");
            booted.add(g);
            return g;
        });
        assertThat(booted).hasSize(2);
        assertThat(kept).isSameAs(booted.get(1));
        assertThat(kept.wedged()).isTrue();
    }
}
