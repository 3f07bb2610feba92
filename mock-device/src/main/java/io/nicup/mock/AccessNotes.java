package io.nicup.mock;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The accesses a model notes for tests to see (narrow, unimplemented, ignored during reset, ...), each
 * with the virtual time it happened at. Only the first ones are kept, so a driver stuck in a loop does
 * not fill the heap.
 */
public final class AccessNotes {

    private final VirtualClock clock;
    private final int kept;
    private final List<RegisterAccess> notes = new ArrayList<>();

    /** @param kept how many notes are kept; later ones are dropped */
    public AccessNotes(VirtualClock clock, int kept) {
        this.clock = clock;
        this.kept = kept;
    }

    public void add(int bar, long offset, int width, boolean write, long value, String kind) {
        if (notes.size() < kept) {
            notes.add(new RegisterAccess(bar, offset, width, write, value, kind, clock.nanoTime()));
        }
    }

    /** The notes kept, oldest first (a read-only view). */
    public List<RegisterAccess> list() {
        return Collections.unmodifiableList(notes);
    }
}
