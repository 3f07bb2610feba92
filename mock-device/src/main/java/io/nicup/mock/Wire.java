package io.nicup.mock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The far end of the simulated network cable: what a test (or the CLI) uses to put frames into the
 * device's receive path, to see what the device transmitted, and to pull the cable.
 *
 * <p>Frames are Ethernet frames without the 4-byte FCS (as QEMU's backends exchange them). Injected
 * frames reach the device at once, in the caller's thread; {@link #injectAfter} schedules one on the
 * device's {@link VirtualClock}. Transmitted frames are kept (the most recent
 * {@link #captureLimit()} of them) and handed to every {@link Listener}, byte-for-byte as the device
 * put them on the wire.
 *
 * <p>Link: {@link #setLink(boolean)} models the cable and the partner. While it is down, injected
 * frames are lost ({@link #lostWhileDown()}) and the device sees no carrier. A device model may also
 * hold the link down itself (a fault); {@link #linkUp()} reports the cable only.
 */
public final class Wire {

    /** Hears every frame the device transmits on the wire (not loopback frames). */
    @FunctionalInterface
    public interface Listener {
        /** {@code frame} is a copy made for the wire (also kept by {@link #captured()}): keep it, do not modify it. */
        void transmitted(byte[] frame);
    }

    /** The device's side of the cable; implemented by device models. */
    public interface Port {
        /** A frame arrives from the wire: {@code length} bytes of {@code frame} (no FCS). May be reused after return. */
        void receiveFromWire(byte[] frame, int length);

        /** The cable's link state changed. */
        void wireLinkChanged(boolean up);
    }

    /** Frames kept by default by {@link #captured()}. */
    public static final int DEFAULT_CAPTURE_LIMIT = 4096;
    /** Largest frame accepted by {@link #inject} (a jumbo frame of 16 KiB). */
    public static final int MAX_FRAME = 16384;

    private final VirtualClock clock;
    private final ArrayDeque<byte[]> captured = new ArrayDeque<>();
    /** The virtual time each kept frame left the device, in step with {@link #captured}. */
    private final ArrayDeque<Long> capturedAt = new ArrayDeque<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final byte[] scratch = new byte[MAX_FRAME];
    private Port port;
    private boolean linkUp = true;
    private int captureLimit = DEFAULT_CAPTURE_LIMIT;
    private long transmitted;
    private long injected;
    private long lostWhileDown;

    public Wire(VirtualClock clock) {
        this.clock = clock;
    }

    /** Connects the device; done once by the device model. */
    public void attach(Port port) {
        if (this.port != null) {
            throw new IllegalStateException("wire already attached to a device");
        }
        this.port = port;
    }

    // ------------------------------------------------------------------ far side (tests, CLI)

    /** Sends {@code frame} (destination MAC first, no FCS) towards the device. */
    public void inject(byte[] frame) {
        inject(frame, 0, frame.length);
    }

    public void inject(byte[] frame, int offset, int length) {
        if (length < 14 || length > MAX_FRAME) {
            throw new IllegalArgumentException("frame length out of range: length=" + length + " min=14 max=" + MAX_FRAME);
        }
        injected++;
        if (!linkUp || port == null) {
            lostWhileDown++;
            return;
        }
        if (offset == 0) {
            port.receiveFromWire(frame, length);
        } else {
            System.arraycopy(frame, offset, scratch, 0, length);
            port.receiveFromWire(scratch, length);
        }
    }

    /** Sends the bytes of {@code frame} towards the device. */
    public void inject(MemorySegment frame) {
        long length = frame.byteSize();
        if (length < 14 || length > MAX_FRAME) {
            throw new IllegalArgumentException("frame length out of range: length=" + length + " min=14 max=" + MAX_FRAME);
        }
        MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, 0, scratch, 0, (int) length);
        inject(scratch, 0, (int) length);
    }

    /** Sends a copy of {@code frame} after {@code delayNanos} of virtual time. */
    public void injectAfter(long delayNanos, byte[] frame) {
        byte[] copy = frame.clone();
        clock.schedule(delayNanos, "wire-inject", () -> inject(copy));
    }

    /** Plugs (true) or pulls (false) the cable. The device sees the change at once. */
    public void setLink(boolean up) {
        if (up == linkUp) {
            return;
        }
        linkUp = up;
        if (port != null) {
            port.wireLinkChanged(up);
        }
    }

    /** Changes the link after {@code delayNanos} of virtual time. */
    public void setLinkAfter(long delayNanos, boolean up) {
        clock.schedule(delayNanos, up ? "wire-link-up" : "wire-link-down", () -> setLink(up));
    }

    public boolean linkUp() {
        return linkUp;
    }

    /** The kept transmitted frames, oldest first (copies of the list, not of the frames). */
    public List<byte[]> captured() {
        return new ArrayList<>(captured);
    }

    /** Removes and returns the oldest kept frame, or null. */
    public byte[] pollCaptured() {
        capturedAt.pollFirst();
        return captured.pollFirst();
    }

    /**
     * The virtual time (device clock, ns) the oldest kept frame left the device, or -1 when none is kept: read
     * before {@link #pollCaptured()} takes that frame.
     */
    public long oldestCapturedAt() {
        Long at = capturedAt.peekFirst();
        return at == null ? -1 : at;
    }

    public void clearCaptured() {
        captured.clear();
        capturedAt.clear();
    }

    public int captureLimit() {
        return captureLimit;
    }

    /** How many transmitted frames {@link #captured()} keeps; older ones are dropped (0 keeps none). */
    public void setCaptureLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative capture limit: limit=" + limit);
        }
        captureLimit = limit;
        while (captured.size() > limit) {
            captured.pollFirst();
            capturedAt.pollFirst();
        }
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Frames the device put on the wire since it was opened. */
    public long transmittedFrames() {
        return transmitted;
    }

    /** Frames offered to the device by {@link #inject}, including lost ones. */
    public long injectedFrames() {
        return injected;
    }

    /** Injected frames lost because the link was down. */
    public long lostWhileDown() {
        return lostWhileDown;
    }

    // ------------------------------------------------------------------ device side

    /** The device puts {@code length} bytes of {@code frame} on the wire. Called by device models. */
    public void transmit(byte[] frame, int length) {
        transmitted++;
        if (captureLimit == 0 && listeners.isEmpty()) {
            return;
        }
        byte[] copy = java.util.Arrays.copyOf(frame, length);
        if (captureLimit > 0) {
            if (captured.size() >= captureLimit) {
                captured.pollFirst();
                capturedAt.pollFirst();
            }
            captured.addLast(copy);
            capturedAt.addLast(clock.nanoTime());
        }
        for (Listener l : listeners) {
            l.transmitted(copy);
        }
    }
}
