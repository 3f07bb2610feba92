package io.nicup.mock.intel;

import io.nicup.mock.MockDmaAllocator;

/**
 * A device that lies, for fuzzing the driver: after each descriptor write-back it may rewrite the
 * descriptor's 16 bytes, and it may answer any BAR0 read with a value of its choosing. The faults of
 * {@link IntelFault} are fixed lies; this one is whatever a fuzzer picks. Installed with
 * {@link IntelModel#setHostile}; the model's own state stays as it was (only what the driver sees
 * changes).
 */
public interface HostileDevice {

    /**
     * The device wrote back the descriptor at {@code descriptor}; whatever this writes through
     * {@code dma} is what the driver reads.
     *
     * @param receive a receive descriptor, else a transmit one
     */
    void wroteBack(boolean receive, long descriptor, MockDmaAllocator dma);

    /** The value a BAR0 read at {@code offset} returns, given what the device would have answered. */
    int registerRead(int offset, int value);
}
