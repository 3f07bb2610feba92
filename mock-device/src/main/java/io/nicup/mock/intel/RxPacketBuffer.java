package io.nicup.mock.intel;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * The on-chip receive packet buffer of an e1000-family MAC as the models use it: a frame that finds no
 * free descriptors waits here, in order, while it fits in the buffer's capacity, and is delivered when
 * the driver gives descriptors back.
 */
public final class RxPacketBuffer {

    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private long bytes;

    /** Holds a copy of the frame's {@code size} bytes if they fit in {@code capacity}; false when the buffer is full. */
    public boolean hold(byte[] src, int size, long capacity) {
        if (bytes + size > capacity) {
            return false;
        }
        frames.addLast(Arrays.copyOf(src, size));
        bytes += size;
        return true;
    }

    /** Hands the held frames, oldest first, to {@code deliver} until it refuses one (which stays held). */
    public void drain(Predicate<byte[]> deliver) {
        while (!frames.isEmpty()) {
            byte[] f = frames.peekFirst();
            if (!deliver.test(f)) {
                return;
            }
            frames.pollFirst();
            bytes -= f.length;
        }
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Frames held. */
    public int size() {
        return frames.size();
    }

    public void clear() {
        frames.clear();
        bytes = 0;
    }
}
