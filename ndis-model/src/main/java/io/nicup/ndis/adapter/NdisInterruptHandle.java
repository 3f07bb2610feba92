package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * NdisInterruptHandle from {@link Ndis#NdisMRegisterInterruptEx}: the armed vectors of the device and
 * their dispatch. Each fired vector runs the ISR for that message id, then (for
 * {@link IsrResult#QUEUE_DPC}) the DPC, both on one thread: the adapter's interrupt thread waiting on
 * {@link InterruptSet#await} ({@link NdisHost.InterruptDelivery#THREAD}), or the caller of
 * {@link NdisHost#pollInterrupts} ({@link NdisHost.InterruptDelivery#POLLED}). A level-triggered INTx
 * vector is re-enabled after its ISR. Nothing here allocates per interrupt.
 */
public final class NdisInterruptHandle {

    private static final long AWAIT_NANOS = 20_000_000;

    final MiniportAdapter adapter;
    private final InterruptSet vectors;
    private final MiniportInterrupt<Object> isr;
    private final MiniportInterruptDpc<Object> dpc;
    private final Object context;
    private final ReentrantLock lock = new ReentrantLock();
    @NdisInternal
    public final AtomicLong isrCount = new AtomicLong();
    @NdisInternal
    public final AtomicLong dpcCount = new AtomicLong();
    ResourceLedger.Entry entry;
    private volatile boolean running;
    private Thread thread;

    @SuppressWarnings("unchecked")
    NdisInterruptHandle(MiniportAdapter adapter, InterruptSet vectors, InterruptCharacteristics<?> chars, Object context) {
        this.adapter = adapter;
        this.vectors = vectors;
        this.isr = (MiniportInterrupt<Object>) chars.isr(vectors.mode());
        this.dpc = (MiniportInterruptDpc<Object>) chars.dpc(vectors.mode());
        this.context = context;
    }

    public InterruptMode mode() {
        return vectors.mode();
    }

    /** Vectors armed (messages for MSI/MSI-X, 1 for INTx). */
    public int messageCount() {
        return vectors.count();
    }

    void startThread() {
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
        while (pending != 0) {
            int vector = Long.numberOfTrailingZeros(pending);
            pending &= pending - 1;
            IsrResult result;
            lock.lock();
            try {
                isrCount.incrementAndGet();
                result = isr.isr(context, vector);
            } catch (RuntimeException e) {
                result = adapter.host.invoker.interruptHandlerFailed(adapter, NdisCall.MiniportInterrupt, e);
            } finally {
                lock.unlock();
            }
            if (vectors.mode() == InterruptMode.INTX) {
                vectors.acknowledge(vector);
            }
            if (result == IsrResult.QUEUE_DPC) {
                dpcCount.incrementAndGet();
                try {
                    dpc.dpc(context, vector);
                } catch (RuntimeException e) {
                    adapter.host.invoker.interruptHandlerFailed(adapter, NdisCall.MiniportInterruptDpc, e);
                }
            }
            handled++;
        }
        return handled;
    }

    /** NdisMSynchronizeWithInterruptEx: runs {@code function} with the ISR excluded. */
    @NdisInternal
    public boolean synchronize(BooleanSupplier function) {
        lock.lock();
        try {
            return function.getAsBoolean();
        } finally {
            lock.unlock();
        }
    }

    /** Stops dispatching (joins the interrupt thread) and disarms the vectors. */
    void stop() {
        running = false;
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
        vectors.close();
    }

    @Override
    public String toString() {
        return "NdisInterruptHandle{" + adapter.name() + " " + mode() + " x" + messageCount() + "}";
    }
}
