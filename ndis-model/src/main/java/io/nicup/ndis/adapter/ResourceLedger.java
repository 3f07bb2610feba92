package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.trace.Rule;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Who holds what: every resource an adapter acquired through the model, in acquisition order. A release
 * of something not held breaks {@link Rule#RES_RELEASE_UNKNOWN}; the releases of a teardown are checked
 * against {@link Rule#RES_INTERRUPT_FIRST} and {@link Rule#RES_RELEASE_ORDER} when it ends; what is left
 * when MiniportInitializeEx fails or MiniportHaltEx returns is a leak, named entry by entry, and
 * released by force.
 */
@NdisInternal
public final class ResourceLedger {

    @NdisInternal
    public enum Kind {
        CONFIGURATION(false),
        IO_SPACE(true),
        SCATTER_GATHER_DMA(true),
        SHARED_MEMORY(true),
        INTERRUPT(true),
        NBL_POOL(false),
        TIMER(false);

        /** Hardware resources are subject to the release-order rules. */
        final boolean hardware;

        Kind(boolean hardware) {
            this.hardware = hardware;
        }
    }

    @NdisInternal
    public static final class Entry {
        final Kind kind;
        public final String name;
        final long seq;
        final Runnable forceRelease;

        Entry(Kind kind, String name, long seq, Runnable forceRelease) {
            this.kind = kind;
            this.name = name;
            this.seq = seq;
            this.forceRelease = forceRelease;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A broken rule found in the releases. */
    record Problem(Rule rule, String detail) {
    }

    /** A release made while initializing or halting, with the interrupts registered at that moment. */
    private record Released(Entry entry, List<Entry> interruptsLive) {
    }

    private final List<Entry> live = new ArrayList<>();
    private final List<Released> teardown = new ArrayList<>();
    private long nextSeq;

    public synchronized Entry acquire(Kind kind, String name, Runnable forceRelease) {
        Entry e = new Entry(kind, name, nextSeq++, forceRelease);
        live.add(e);
        return e;
    }

    public synchronized boolean holds(Entry e) {
        return e != null && live.contains(e);
    }

    /**
     * Records a release.
     *
     * @param teardownRelease made while the adapter initializes or halts, where the order rules apply
     * @return false when {@code e} was not held
     */
    public synchronized boolean remove(Entry e, boolean teardownRelease) {
        if (!live.remove(e)) {
            return false;
        }
        if (teardownRelease) {
            teardown.add(new Released(e, live.stream().filter(x -> x.kind == Kind.INTERRUPT).toList()));
        }
        return true;
    }

    synchronized void clearTeardown() {
        teardown.clear();
    }

    /**
     * The order rules over the releases of one teardown (a failed initialization or a halt), then forgets
     * them. Only what was released counts: a leaked resource is reported as a leak, not as out of order.
     * <ul>
     * <li>{@link Rule#RES_INTERRUPT_FIRST}: a hardware resource released while an interrupt that this
     *     teardown deregisters later was still registered.</li>
     * <li>{@link Rule#RES_RELEASE_ORDER}: a hardware resource released before one acquired after it.</li>
     * </ul>
     */
    synchronized List<Problem> teardownProblems() {
        List<Problem> problems = new ArrayList<>();
        List<Entry> interruptsReleased = teardown.stream().map(Released::entry)
                .filter(e -> e.kind == Kind.INTERRUPT).toList();
        for (Released r : teardown) {
            if (!orderMatters(r.entry)) {
                continue;
            }
            r.interruptsLive.stream().filter(interruptsReleased::contains).findFirst().ifPresent(i -> problems.add(
                    new Problem(Rule.RES_INTERRUPT_FIRST, "released=" + r.entry.name + " while_registered=" + i.name)));
        }
        for (int i = 0; i < teardown.size(); i++) {
            Entry early = teardown.get(i).entry;
            if (!orderMatters(early)) {
                continue;
            }
            for (int j = i + 1; j < teardown.size(); j++) {
                Entry later = teardown.get(j).entry;
                if (orderMatters(later) && later.seq > early.seq) {
                    problems.add(new Problem(Rule.RES_RELEASE_ORDER, "released=" + early.name + " before_later="
                            + later.name));
                    break;
                }
            }
        }
        teardown.clear();
        return problems;
    }

    private static boolean orderMatters(Entry e) {
        return e.kind.hardware && e.kind != Kind.INTERRUPT;
    }

    synchronized List<Entry> live() {
        return List.copyOf(live);
    }

    /**
     * Releases everything left, interrupts first, then newest first, and returns what was left. A
     * failing release is kept and rethrown after the others have run.
     */
    List<Entry> releaseAll() {
        List<Entry> left;
        synchronized (this) {
            left = new ArrayList<>(live);
            live.clear();
            teardown.clear();
        }
        left.sort(Comparator.comparing((Entry e) -> e.kind != Kind.INTERRUPT).thenComparing(e -> -e.seq));
        RuntimeException first = null;
        for (Entry e : left) {
            try {
                e.forceRelease.run();
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
        left.sort(Comparator.comparingLong(e -> e.seq));
        return left;
    }
}
