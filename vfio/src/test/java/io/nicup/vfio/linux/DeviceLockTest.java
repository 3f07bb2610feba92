package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceLockTest {

    static final PciAddress BDF = PciAddress.parse("0000:01:00.0");

    @TempDir
    Path state;

    @Test
    void theLockFileHoldsThePidOfTheHolderAndIsEmptiedOnClose() throws Exception {
        Path file;
        try (DeviceLock lock = DeviceLock.acquire(state, BDF)) {
            file = lock.file();
            assertThat(file).isEqualTo(state.resolve("0000:01:00.0.lock"));
            assertThat(Files.readString(file).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThat(lock.held()).isTrue();
        }
        assertThat(Files.readString(file)).isEmpty();
    }

    @Test
    void aSecondLockInTheSameProcessIsBusy() {
        try (DeviceLock _ = DeviceLock.acquire(state, BDF)) {
            assertThatThrownBy(() -> DeviceLock.acquire(state, BDF)).isInstanceOfSatisfying(
                    DeviceAccessException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.BUSY);
                        assertThat(e.getMessage()).startsWith("device 0000:01:00.0 in use by PID "
                                + ProcessHandle.current().pid());
                    });
        }
        DeviceLock.acquire(state, BDF).close();
    }

    @Test
    void aLockHeldByAnotherProcessIsBusyNamingItsPid() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), state.toString(), BDF.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> DeviceLock.acquire(state, BDF)).isInstanceOfSatisfying(
                    DeviceAccessException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.BUSY);
                        assertThat(e.getMessage()).startsWith("device 0000:01:00.0 in use by PID " + child.pid());
                        assertThat(e.remedy()).contains("stop process " + child.pid());
                    });
        } finally {
            child.getOutputStream().close();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (DeviceLock lock = DeviceLock.acquire(state, BDF)) {
            assertThat(lock.held()).isTrue();
        }
    }

    @Test
    void aStaleLockFileOfADeadProcessIsReplaced() throws Exception {
        Files.writeString(state.resolve("0000:01:00.0.lock"), "999999999\n");
        try (DeviceLock lock = DeviceLock.acquire(state, BDF)) {
            assertThat(Files.readString(lock.file()).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void theStateDirectoryIsCreatedWhenMissing() {
        Path nested = state.resolve("a/b");
        try (DeviceLock _ = DeviceLock.acquire(nested, BDF)) {
            assertThat(nested).isDirectory();
        }
    }

    @Test
    void anUnwritableStateDirectoryIsAPermissionOrSystemErrorNamingTheVariable() throws Exception {
        Path file = state.resolve("not-a-dir");
        Files.writeString(file, "x");
        assertThatThrownBy(() -> DeviceLock.acquire(file.resolve("sub"), BDF))
                .isInstanceOfSatisfying(DeviceAccessException.class,
                        e -> assertThat(e.remedy()).contains("NICUP_STATE_DIR"));
    }
}
