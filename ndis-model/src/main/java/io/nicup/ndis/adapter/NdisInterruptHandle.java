package io.nicup.ndis.adapter;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.datapath.SingleWriterCounters;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import java.util.function.BooleanSupplier;

/**
 * NdisInterruptHandle from {@link Ndis#NdisMRegisterInterruptEx}: the armed vectors of the device and
 * their dispatch. Each fired vector runs the ISR for that message id, under the interrupt's spin lock
 * ({@link InterruptSpinLock}, which {@link #synchronize} takes too), then (for {@link IsrResult#QUEUE_DPC})
 * queues the message's DPC. A level-triggered INTx vector is re-enabled after its ISR. Nothing here
 * allocates per interrupt.
 *
 * <p>{@link HostOptions.InterruptDelivery#THREAD}: the adapter's interrupt thread ({@code ndis-dpc-ADAPTER})
 * waits on {@link InterruptSet#await} and runs the ISRs; each armed message has a DPC thread of its own
 * ({@code ndis-dpc-ADAPTER-i}, a {@link DpcWorker}), as NDIS runs a message's DPC on the processor its
 * affinity names: two messages' DPCs run at once, one message's DPC never beside itself, and a DPC queued
 * while queued runs once (docs/ndis-contract.md §21). INTx and MSI with one message have one DPC thread,
 * so in every mode the ISR can run again while the DPC runs, as it can on Windows.
 * {@link HostOptions.InterruptDelivery#POLLED}: the caller of {@link NdisHost#pollInterrupts} runs the ISR and
 * then the DPC itself.
 *
 * <p>The ISR and DPC runs are counted without a read-modify-write: the ISRs in one
 * {@link SingleWriterCounters} (owned by the interrupt thread, or the poller), each message's DPCs in one of
 * their own (owned by that message's DPC thread), so an interrupt costs no atomic for its counts
 * (docs/ndis-contract.md §19.8).
 */
public final class NdisInterruptHandle {

    private static final long AWAIT_NANOS = 20_000_000;

    final MiniportAdapter adapter;
    private final InterruptSet vectors;
    private final MiniportInterrupt<Object> isr;
    private final MiniportInterruptDpc<Object> dpc;
    private final Object context;
    private final InterruptSpinLock lock = new InterruptSpinLock();
    /** ISR runs: counter 0, added to under {@link #lock}. */
    private final SingleWriterCounters isrRuns = new SingleWriterCounters(1);
    /** DPC runs of message {@code i}: {@code dpcRuns[i]}, counter 0, added to by the thread that runs that DPC. */
    private final SingleWriterCounters[] dpcRuns;
    ResourceLedger.Entry entry;
    private volatile boolean running;
    private Thread thread;
    /** One per message with {@link HostOptions.InterruptDelivery#THREAD}; null while polled. */
    private DpcWorker[] workers;

    @SuppressWarnings("unchecked")
    NdisInterruptHandle(MiniportAdapter adapter, InterruptSet vectors, InterruptCharacteristics<?> chars, Object context) {
        this.adapter = adapter;
        this.vectors = vectors;
        this.isr = (MiniportInterrupt<Object>) chars.isr(vectors.mode());
        this.dpc = (MiniportInterruptDpc<Object>) chars.dpc(vectors.mode());
        this.context = context;
        this.dpcRuns = new SingleWriterCounters[Math.max(1, vectors.count())];
        for (int i = 0; i < dpcRuns.length; i++) {
            dpcRuns[i] = new SingleWriterCounters(1);
        }
    }

    /** ISRs run so far, every vector. */
    @NdisInternal
    public long isrCalls() {
        return isrRuns.get(0);
    }

    /** DPCs run so far, every message. */
    @NdisInternal
    public long dpcCalls() {
        long runs = 0;
        for (SingleWriterCounters c : dpcRuns) {
            runs += c.get(0);
        }
        return runs;
    }

    public InterruptMode mode() {
        return vectors.mode();
    }

    /** Vectors armed (messages for MSI/MSI-X, 1 for INTx). */
    public int messageCount() {
        return vectors.count();
    }

    void startThread() {
        DpcWorker[] w = new DpcWorker[vectors.count()];
        for (int i = 0; i < w.length; i++) {
            w[i] = new DpcWorker(this, i, "ndis-dpc-" + adapter.name() + "-" + i);
            w[i].start();
        }
        workers = w;
        running = true;
        thread = Thread.ofPlatform().daemon().name("ndis-dpc-" + adapter.name()).start(this::loop);
    }

    private void loop() {
        while (running) {
            long fired = vectors.await(AWAIT_NANOS);
            if (fired != 0 && running) {
                dispatch(fired);
            }
        }
    }

    /** Dispatches whatever fired since the last look; returns the vectors handled. */
    @NdisInternal
    public int poll() {
        long fired = vectors.poll();
        return fired == 0 ? 0 : dispatch(fired);
    }

    private int dispatch(long fired) {
        int handled = 0;
        long pending = fired;
        while (pending != 0 && (workers == null || running)) {
            int vector = Long.numberOfTrailingZeros(pending);
            pending &= pending - 1;
            IsrResult result;
            lock.acquire();
            try {
                isrRuns.add(0, 1);
                result = isr.isr(context, vector);
            } catch (RuntimeException e) {
                result = adapter.host.invoker.interruptHandlerFailed(adapter, NdisCall.MiniportInterrupt, e);
            } finally {
                lock.release();
            }
            if (vectors.mode() == InterruptMode.INTX) {
                vectors.acknowledge(vector);
            }
            if (result == IsrResult.QUEUE_DPC) {
                DpcWorker[] w = workers;
                if (w == null) {
                    runDpc(vector);
                } else {
                    w[vector].queue();
                }
            }
            handled++;
        }
        return handled;
    }

    /** Runs message {@code vector}'s DPC on this thread (the poller's or the message's DPC thread). */
    void runDpc(int vector) {
        dpcRuns[vector].add(0, 1);
        try {
            dpc.dpc(context, vector);
        } catch (RuntimeException e) {
            adapter.host.invoker.interruptHandlerFailed(adapter, NdisCall.MiniportInterruptDpc, e);
        }
    }

    /**
     * NdisMSynchronizeWithInterruptEx: runs {@code function} with the ISR excluded, under the interrupt's spin
     * lock ({@link InterruptSpinLock}).
     *
     * @throws IllegalStateException when called from inside the ISR or another synchronize function
     */
    @NdisInternal
    public boolean synchronize(BooleanSupplier function) {
        lock.acquire();
        try {
            return function.getAsBoolean();
        } finally {
            lock.release();
        }
    }

    /**
     * Stops dispatching and disarms the vectors: joins the interrupt thread (no ISR runs and no DPC is
     * queued after), then each DPC thread, which first runs the DPC queued for it, so no completion is lost.
     * Called on one of these threads (a handler that halts the adapter), it joins the others and asks its
     * own to end after the handler: that thread runs no ISR or DPC after the vectors are disarmed, and what
     * is still queued for it is dropped.
     */
    void stop() {
        running = false;
        joinInterruptThread();
        DpcWorker[] w = workers;
        if (w != null) {
            for (DpcWorker worker : w) {
                worker.stop();
            }
            for (DpcWorker worker : w) {
                worker.close();
            }
        }
        vectors.close();
    }

    /** DPC threads still alive (0 once {@link #stop} has joined them). */
    @NdisInternal
    public int dpcThreadsAlive() {
        DpcWorker[] w = workers;
        int alive = 0;
        if (w != null) {
            for (DpcWorker worker : w) {
                alive += worker.alive() ? 1 : 0;
            }
        }
        return alive;
    }

    private void joinInterruptThread() {
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            boolean interrupted = false;
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "NdisInterruptHandle{" + adapter.name() + " " + mode() + " x" + messageCount() + "}";
    }
}
