package io.nicup.vfio.linux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The resources an owner acquired, released in reverse order. Every release runs even if an earlier one
 * failed; the first failure is thrown with the rest attached as suppressed (as Agrona's
 * {@code CloseHelper.closeAll} does). Thread-safe.
 */
final class Closer {

    private record Entry(String name, Runnable release) {
    }

    private final Deque<Entry> stack = new ArrayDeque<>();

    /** Remembers a release action; {@code name} says what it releases (for traces and tests). */
    synchronized void push(String name, Runnable release) {
        stack.push(new Entry(name, release));
    }

    /** What is held, most recent first. */
    synchronized List<String> held() {
        List<String> out = new ArrayList<>();
        for (Entry e : stack) {
            out.add(e.name());
        }
        return out;
    }

    /** Releases everything, most recent first; throws the first failure with the others suppressed. */
    void closeAll() {
        RuntimeException first = releaseAll(null);
        if (first != null) {
            throw first;
        }
    }

    /** Releases everything after {@code primary} failed; every release failure is suppressed into it. */
    void closeAllAfter(Throwable primary) {
        releaseAll(primary);
    }

    private RuntimeException releaseAll(Throwable primary) {
        RuntimeException first = null;
        while (true) {
            Entry e;
            synchronized (this) {
                e = stack.poll();
            }
            if (e == null) {
                return first;
            }
            try {
                e.release().run();
            } catch (RuntimeException ex) {
                if (primary != null) {
                    primary.addSuppressed(ex);
                } else if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
    }
}
