package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceClock;
import java.nio.file.Path;

/**
 * Where this package finds the system: sysfs, procfs, {@code /dev}, the state directory, the kernel
 * calls and the clock. {@link #system()} is the real machine; tests build one over fake trees in a
 * temporary directory and a test double of {@link VfioKernel}.
 *
 * @param devRoot normally {@code /dev}; {@code vfio/vfio} and {@code vfio/<N>} are looked up under it
 * @param stateDir where bind records and device locks live: {@code $NICUP_STATE_DIR}, default {@code /run/nicup}
 */
public record LinuxHost(Sysfs sysfs, Procfs procfs, Path devRoot, Path stateDir, VfioKernel kernel,
        DeviceClock clock) {

    /** The environment variable naming the state directory. */
    public static final String STATE_DIR_ENV = "NICUP_STATE_DIR";
    public static final Path DEFAULT_STATE_DIR = Path.of("/run/nicup");

    /** The real machine. */
    public static LinuxHost system() {
        String env = System.getenv(STATE_DIR_ENV);
        Path state = env == null || env.isBlank() ? DEFAULT_STATE_DIR : Path.of(env);
        return new LinuxHost(Sysfs.system(), Procfs.system(), Path.of("/dev"), state, new FfmVfioKernel(),
                DeviceClock.SYSTEM);
    }

    /** {@code /dev/vfio/vfio}, the container device. */
    public Path containerPath() {
        return devRoot.resolve("vfio/vfio");
    }

    /** {@code /dev/vfio/<group>}. */
    public Path groupPath(int group) {
        return devRoot.resolve("vfio").resolve(Integer.toString(group));
    }

    public NetInterfaces netInterfaces() {
        return new NetInterfaces(sysfs, procfs);
    }

    public StateStore stateStore() {
        return new StateStore(stateDir);
    }
}
