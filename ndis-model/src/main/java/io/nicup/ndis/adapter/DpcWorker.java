package io.nicup.ndis.adapter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread of one message's DPC ({@link io.nicup.ndis.HostOptions.InterruptDelivery#THREAD}), as a KDPC with its own
 * processor: {@link #queue} is KeInsertQueueDpc, called by the interrupt thread after the message's ISR
 * returned QUEUE_DPC. A DPC queued while it is already queued runs once; it is taken off the queue before
 * it runs, so one queued while it runs runs once more, after it (WDK "Introduction to DPC Objects"). The
 * worker is the only thread that runs the message's DPC, so the DPC never runs beside itself.
 *
 * <p>Hand-off: a {@code queued} flag swapped by both sides (one atomic swap per interrupt, none per packet)
 * and {@link LockSupport#park}/{@link LockSupport#unpark}; nothing allocates and no lock is held across the
 * DPC. The swaps also order the ISR's writes before the DPC: the worker's swap reads the interrupt thread's
 * last swap of the flag, whichever value it wrote.
 *
 * <p>At {@link #stop} the worker runs what is queued and then ends; what is queued once {@link #close}
 * was called is dropped (the vectors are disarmed then, the adapter halting): only a worker that stopped
 * itself, from inside its DPC, can still find something queued then.
 */
final class DpcWorker {

    private static final VarHandle QUEUED;
    private static final VarHandle CLOSED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            QUEUED = l.findVarHandle(DpcWorker.class, "queued", boolean.class);
            CLOSED = l.findVarHandle(DpcWorker.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NdisInterruptHandle handle;
    private final int message;
    private final Thread thread;
    @SuppressWarnings("unused") // through QUEUED
    private volatile boolean queued;
    private volatile boolean running = true;
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;

    DpcWorker(NdisInterruptHandle handle, int message, String name) {
        this.handle = handle;
        this.message = message;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    /** KeInsertQueueDpc: queues the DPC unless it is queued already; never waits. */
    void queue() {
        if (!(boolean) QUEUED.getAndSet(this, true)) {
            LockSupport.unpark(thread);
        }
    }

    private void loop() {
        while (true) {
            if ((boolean) QUEUED.getAndSet(this, false)) {
                if ((boolean) CLOSED.getVolatile(this)) {
                    return;
                }
                handle.runDpc(message);
            } else if (!running) {
                return;
            } else {
                LockSupport.park(this);
            }
        }
    }

    /**
     * Ends the worker after the DPC queued now (if any) has run, and joins it; from the worker itself (a
     * DPC that halts the adapter) it only asks it to end.
     */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
        if (thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** From now on a queued DPC is dropped (the vectors are disarmed). */
    void close() {
        CLOSED.setVolatile(this, true);
    }

    boolean alive() {
        return thread.isAlive();
    }
}
