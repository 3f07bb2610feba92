package io.nicup.vfio;

/**
 * Time as the device sees it. Drivers take every timestamp and every delay from here, never from
 * {@code System.nanoTime()} or {@code Thread.sleep}, so that a simulated device can run on virtual time
 * and a test controls ordering without sleeping.
 */
public interface DeviceClock {

    long nanoTime();

    /** Waits about {@code nanos}; a simulated device advances its own time and runs what was due. */
    void sleepNanos(long nanos);

    /** The wall clock of the machine. */
    DeviceClock SYSTEM = new DeviceClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) {
            if (nanos <= 0) {
                Thread.onSpinWait();
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        }
    };
}
