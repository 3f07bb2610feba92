package io.nicup.vfio.linux;

import io.nicup.vfio.PciAddress;
import java.nio.file.Path;

/** Run in a child JVM by {@link DeviceLockTest}: takes the lock, says so, holds it until stdin closes. */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (DeviceLock _ = DeviceLock.acquire(Path.of(args[0]), PciAddress.parse(args[1]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin
            }
        }
    }
}
