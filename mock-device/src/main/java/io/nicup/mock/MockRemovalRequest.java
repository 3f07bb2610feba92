package io.nicup.mock;

import io.nicup.vfio.RemovalRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The kernel asking for a simulated device back, as vfio-pci's device-request interrupt does on real hardware
 * (docs/hardware-reference.md A.10): {@link #raise()} (a test, or the {@code removal-request@N} fault after N
 * transmitted frames) latches the request and runs the listeners once. The device stays present and answers
 * while it is asked; it leaves the bus once it has been asked and closed, as the kernel's remove finishes
 * when the driver lets go.
 */
public final class MockRemovalRequest implements RemovalRequest {

    /** The fault's name in a mock spec ({@code mock:82574L?fault=removal-request@50}). */
    public static final String FAULT = "removal-request";
    static final String DESCRIPTION = "the kernel asks for the device back after N transmitted frames (default at"
            + " once), as a hot-unplug or an unbind does; the device stays present until nicup closes it";

    private final BooleanSupplier closed;
    private final List<Runnable> listeners = new ArrayList<>();
    private boolean requested;

    MockRemovalRequest(BooleanSupplier closed) {
        this.closed = closed;
    }

    /** The kernel asks now; a second call changes nothing (the kernel repeats its request every 10 s). */
    public void raise() {
        if (requested) {
            return;
        }
        requested = true;
        List<Runnable> now = List.copyOf(listeners);
        listeners.clear();
        now.forEach(Runnable::run);
    }

    /** Raises the request once {@code wire} has carried {@code after} frames transmitted from now on. */
    void raiseAfter(Wire wire, long after) {
        if (after <= 0) {
            raise();
            return;
        }
        long at = wire.transmittedFrames() + after;
        wire.addListener(f -> {
            if (wire.transmittedFrames() >= at) {
                raise();
            }
        });
    }

    @Override
    public boolean offered() {
        return true;
    }

    @Override
    public boolean requested() {
        return requested;
    }

    @Override
    public void onRequest(Runnable listener) {
        if (requested) {
            listener.run();
        } else {
            listeners.add(listener);
        }
    }

    @Override
    public boolean onBus() {
        return !(requested && closed.getAsBoolean());
    }
}
