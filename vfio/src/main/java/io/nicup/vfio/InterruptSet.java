package io.nicup.vfio;

/**
 * Armed interrupt vectors. Vector {@code i} fired is bit {@code i} of the returned masks (at most 64
 * vectors). {@link #close()} disables the vectors at the device and releases their events.
 */
public interface InterruptSet extends AutoCloseable {

    InterruptMode mode();

    int count();

    /**
     * Waits until at least one vector fired or the timeout passed, consuming the events.
     *
     * @return the fired vectors as a bit mask, 0 on timeout
     */
    long await(long timeoutNanos);

    /** The vectors fired since the last call, without waiting. */
    long poll();

    /** Re-enables a level-triggered vector (INTx) after its cause was cleared; no-op for MSI/MSI-X. */
    void acknowledge(int vector);

    /** Total events seen per vector since arming (for self-tests and statistics). */
    long events(int vector);

    @Override
    void close();
}
