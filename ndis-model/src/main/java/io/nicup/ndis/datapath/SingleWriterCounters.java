package io.nicup.ndis.datapath;

import io.nicup.ndis.NdisInternal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A few counters that one thread writes: the thread that adds first owns them and adds with a plain
 * read and a release store (no read-modify-write, no lock); readers on any thread see every count with
 * an acquire load (docs/ndis-contract.md §19).
 *
 * <p>A second thread adding while the owner lives (a miniport completing one send inline from
 * MiniportSendNetBufferLists while its DPC completes the rest) must not race the owner's store, so its
 * adds go to a separate atomic cell of the same counter: the cold path, exact under any threading.
 * A counter's value is the owner's cell plus that cell. When the owner has ended, the next writer
 * takes the cells over: {@link Thread#isAlive()} returning false makes every store of the ended owner
 * visible to it (JLS 17.4.4), so it continues from the right value.
 *
 * <pre>
 *   cells:  | PAD longs | counter 0 | counter 1 | ... | PAD longs |   written by the owner only
 *   others: | counter 0 | counter 1 | ... |                          getAndAdd by any other thread
 * </pre>
 * The padding keeps two sides' counters, written by different threads, off one cache line.
 *
 * <p>Used for the data path's bookkeeping ({@link DataPathBookkeeping}) and for the ISR and DPC runs of an
 * interrupt handle ({@code NdisInterruptHandle}), each counted on the thread that runs them.
 */
@NdisInternal
public final class SingleWriterCounters {

    private static final VarHandle CELLS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OWNER;
    /** 64 bytes of longs on either side of the cells. */
    private static final int PAD = 8;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(SingleWriterCounters.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] cells;
    private final AtomicLongArray others;
    /** Set once by compare-and-set (again only after the owner ended); read plainly on the fast path. */
    private Thread owner;

    public SingleWriterCounters(int count) {
        this.cells = new long[PAD + count + PAD];
        this.others = new AtomicLongArray(count);
    }

    /**
     * Adds {@code delta} to counter {@code i}. A plain read of {@link #owner} is enough: only this
     * thread can have stored itself there, and no other thread replaces it while it lives.
     */
    public void add(int i, long delta) {
        if (owner == Thread.currentThread()) {
            int k = PAD + i;
            CELLS.setRelease(cells, k, cells[k] + delta);
        } else {
            addCold(i, delta);
        }
    }

    private void addCold(int i, long delta) {
        Thread me = Thread.currentThread();
        Thread current = (Thread) OWNER.getAcquire(this);
        if ((current == null || !current.isAlive()) && OWNER.compareAndSet(this, current, me)) {
            int k = PAD + i;
            CELLS.setRelease(cells, k, (long) CELLS.getAcquire(cells, k) + delta);
            return;
        }
        others.getAndAdd(i, delta);
    }

    /** Counter {@code i} as it stands: every add that happened before this call is in it. */
    public long get(int i) {
        return (long) CELLS.getAcquire(cells, PAD + i) + others.get(i);
    }

    /** What the owning thread added to counter {@code i} (for tests of the split). */
    long ownerPart(int i) {
        return (long) CELLS.getAcquire(cells, PAD + i);
    }

    /** What other threads added to counter {@code i} (for tests of the split). */
    long othersPart(int i) {
        return others.get(i);
    }
}
