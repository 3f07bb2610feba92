package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An advisory per-device lock so that two nicup processes do not drive one device: the file
 * {@code <stateDir>/<BDF>.lock}, locked with {@link FileChannel#tryLock()} (a POSIX record lock, released
 * by the kernel when the holder dies) and holding the holder's PID. A lock file left by a dead process
 * is simply locked again and its PID replaced. {@link #close()} empties the file and releases the lock;
 * the file itself stays (deleting it would race with a process that already opened it).
 */
public final class DeviceLock implements AutoCloseable {

    private final PciAddress address;
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DeviceLock(PciAddress address, Path file, FileChannel channel, FileLock lock) {
        this.address = address;
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    public static Path lockFile(Path stateDir, PciAddress address) {
        return stateDir.resolve(address + ".lock");
    }

    /**
     * Takes the lock or fails at once.
     *
     * @throws DeviceAccessException {@code BUSY} naming the PID that holds it, {@code PERMISSION} when
     *     the state directory is not writable
     */
    public static DeviceLock acquire(Path stateDir, PciAddress address) {
        StateStore.ensureDir(stateDir);
        Path file = lockFile(stateDir, address);
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw new DeviceAccessException(Reason.PERMISSION, "cannot open device lock: file=" + file,
                    "run as root or set " + LinuxHost.STATE_DIR_ENV + " to a writable directory", e);
        } catch (IOException e) {
            throw new DeviceAccessException(Reason.SYSTEM, "cannot open device lock: file=" + file + " error=" + e,
                    "set " + LinuxHost.STATE_DIR_ENV + " to a writable directory", e);
        }
        try {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                throw busy(address, file, ProcessHandle.current().pid(), " (this process)");
            }
            if (lock == null) {
                long holder = readPid(ch);
                throw busy(address, file, holder, "");
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(pid), 0);
            ch.force(false);
            return new DeviceLock(address, file, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new DeviceAccessException(Reason.SYSTEM, "cannot lock device: file=" + file + " error=" + e,
                    "check the state directory", e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * The PID in the device's lock file when that process is alive: who drives the device now. A PID
     * left by a process that died (SIGKILL) is stale: the kernel released its lock, nothing is in use.
     */
    public static java.util.OptionalLong liveHolder(Path stateDir, PciAddress address) {
        java.util.Optional<String> text = Sysfs.read(lockFile(stateDir, address));
        if (text.isEmpty() || text.get().isBlank()) {
            return java.util.OptionalLong.empty();
        }
        try {
            long pid = Long.parseLong(text.get().strip());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive ? java.util.OptionalLong.of(pid) : java.util.OptionalLong.empty();
        } catch (NumberFormatException e) {
            return java.util.OptionalLong.empty();
        }
    }

    private static DeviceAccessException busy(PciAddress address, Path file, long pid, String who) {
        String p = pid < 0 ? "unknown" : Long.toString(pid);
        return new DeviceAccessException(Reason.BUSY, "device " + address + " in use by PID " + p + who + ": bdf="
                + address + " pid=" + p + " lock=" + file,
                "stop process " + p + " (another nicup) or wait for it to finish");
    }

    private static long readPid(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        int n = ch.read(buf, 0);
        if (n <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(new String(buf.array(), 0, n, StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    public PciAddress address() {
        return address;
    }

    public Path file() {
        return file;
    }

    public boolean held() {
        return lock.isValid();
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // closing the channel releases the lock anyway
        } finally {
            closeQuietly(channel);
        }
    }
}
