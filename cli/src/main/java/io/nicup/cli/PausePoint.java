package io.nicup.cli;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.trace.NdisTrace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code bringup --pause-after CALL}: a breakpoint in the sequence. When the first {@code CALL} made on
 * the command's thread returns, the sequence stops right there, with the device exactly as that step left
 * it (half initialized, say: DMA mapped, vectors armed, rings not yet programmed), so that it can be
 * looked at from outside ({@code lspci -vv}, {@code /proc/interrupts}, the kernel log). Enter or the end
 * of input goes on; SIGINT/SIGTERM lets the step's caller finish, then the command tears down in order.
 *
 * <p>A trace listener: NDIS calls it on the calling thread when a call ends, so blocking it blocks the
 * sequence and nothing else (the driver's DPCs and timers run on their own threads).
 */
final class PausePoint implements Consumer<NdisTrace.Event> {

    /** How often a pause looks at the stop request while it waits for Enter. */
    private static final long POLL_MILLIS = 50;

    private final String call;
    private final Output output;
    private final BooleanSupplier stopRequested;
    private final InputStream in;
    private final Thread commandThread = Thread.currentThread();
    private volatile boolean hit;
    private NdisTrace trace;

    private PausePoint(String call, Output output, BooleanSupplier stopRequested, InputStream in) {
        this.call = call;
        this.output = output;
        this.stopRequested = stopRequested;
        this.in = in;
    }

    /**
     * @param call a DDI name as the trace spells it ({@link NdisCall})
     * @throws CliException USAGE when no call has that name
     */
    static PausePoint parse(String call, Output output, BooleanSupplier stopRequested, InputStream in) {
        boolean known = Arrays.stream(NdisCall.values()).anyMatch(c -> c.name().equals(call));
        if (!known) {
            throw new CliException(ExitCode.USAGE, "unknown call for --pause-after: " + call,
                    "name a call as the trace spells it, e.g. NdisMAllocateSharedMemory, NdisMRegisterInterruptEx or"
                            + " MiniportInitializeEx (nicup bringup --trace FILE lists them)");
        }
        return new PausePoint(call, output, stopRequested, in);
    }

    /**
     * Starts listening. A call that already returned (DriverEntry's, made when the device was opened)
     * pauses at once: nothing has happened since.
     */
    void arm(NdisTrace trace) {
        this.trace = trace;
        List<NdisTrace.Event> before = trace.events();
        trace.addListener(this);
        for (NdisTrace.Event e : before) {
            if (isTheCall(e) && e.durationNanos() >= 0) {
                pause(e, true);
                return;
            }
        }
    }

    /** Whether the sequence stopped here; false means the run never made the call (worth a warning). */
    boolean hit() {
        return hit;
    }

    String call() {
        return call;
    }

    @Override
    public void accept(NdisTrace.Event e) {
        if (!hit && Thread.currentThread() == commandThread && isTheCall(e)) {
            pause(e, false);
        }
    }

    private boolean isTheCall(NdisTrace.Event e) {
        return e.kind() == NdisTrace.Kind.CALL && e.name().equals(call);
    }

    private void pause(NdisTrace.Event e, boolean late) {
        hit = true;
        String status = e.hasStatus() ? " " + NdisStatus.name(e.status()) : "";
        output.err().println("nicup: paused after " + e.name() + status + (late ? "" : enclosing(e))
                + ": press Enter to go on, Ctrl-C to tear down");
        output.err().flush();
        CountDownLatch enter = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().name("nicup-pause-input").start(() -> {
            try {
                // Only one line: the rest of the input is not ours. EOF counts as Enter (no terminal).
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException ignored) {
                // an unreadable input cannot say "go on" either: treat as the end of input
            }
            enter.countDown();
        });
        try {
            while (!stopRequested.getAsBoolean() && !enter.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                // waiting for Enter or a signal: the device stays as the step left it
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        reader.interrupt();
    }

    /** " (inside MiniportInitializeEx)" when a call still running on the same thread encloses {@code e}. */
    private String enclosing(NdisTrace.Event e) {
        NdisTrace.Event outer = null;
        for (NdisTrace.Event o : trace.events()) {
            if (o.kind() == NdisTrace.Kind.CALL && o.durationNanos() < 0 && o.depth() < e.depth()
                    && o.thread().equals(e.thread()) && (outer == null || o.depth() > outer.depth())) {
                outer = o;
            }
        }
        return outer == null ? "" : " (inside " + outer.name() + ")";
    }
}
