package io.nicup.ndis.trace;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.vfio.DeviceClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The bring-up trace: every call across the contract, every state transition, every resource acquired
 * and released, every configuration read and every violation, with a device-clock timestamp, a duration
 * and a status. The data path is traced as counters ({@link Kind#COUNTERS} events at pause, halt and on
 * request), never per packet; so are the calls a miniport makes per interrupt or per packet
 * (NdisMSendNetBufferListsComplete, NdisMIndicateReceiveNetBufferLists, MiniportSendNetBufferLists,
 * MiniportReturnNetBufferLists, the ISR and DPC, NdisSetTimerObject, NdisCancelTimerObject,
 * NdisMSynchronizeWithInterruptEx). A rule they break is still a {@link Kind#VIOLATION} event.
 *
 * <p>Events are kept in the order they began; a call that contains other calls (MiniportSetOptions
 * inside NdisMRegisterMiniportDriver) precedes them and they carry a larger {@code depth}. The trace keeps
 * the first {@code capacity} events and counts the rest in {@link #dropped()}.
 *
 * <h2>JSON lines ({@link #writeJsonLines})</h2>
 * One object per line, fields in this order:
 * <pre>
 * seq          integer   position in the trace, from 0
 * t_ns         integer   device-clock time the event began (ns)
 * dur_ns       integer   duration (ns); 0 for instants, -1 for a call still running
 * depth        integer   nesting depth of calls on the thread (0 = outermost)
 * kind         string    call | state | acquire | release | config | violation | counters | indication
 * dir          string    host-&gt;ndis | ndis-&gt;miniport | miniport-&gt;ndis | ndis-&gt;protocol | "" (none)
 * name         string    DDI name of the call (NdisMRegisterInterruptEx), "Paused-&gt;Restarting" for a
 *                        state, the resource name for acquire/release, the keyword for config, "DRV-10
 *                        DRV_ENTRY_FAILURE_DEREGISTERS" for a violation
 * driver       string    driver name or ""
 * adapter      string    adapter (PCI address) or ""
 * status       string    "0xC000009A", present only when the event has a status
 * status_name  string    "NDIS_STATUS_RESOURCES", present with status
 * thread       string    thread that recorded the event
 * detail       object    string keys to string values, event specific (may be empty)
 * </pre>
 */
public final class NdisTrace {

    /** Marks an event without a status. */
    public static final int NO_STATUS = 0x8000_0000;

    public enum Kind {
        CALL, STATE, ACQUIRE, RELEASE, CONFIG, VIOLATION, COUNTERS, INDICATION;

        String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Direction {
        HOST_TO_NDIS("host->ndis"),
        NDIS_TO_MINIPORT("ndis->miniport"),
        MINIPORT_TO_NDIS("miniport->ndis"),
        NDIS_TO_PROTOCOL("ndis->protocol"),
        NONE("");

        private final String arrow;

        Direction(String arrow) {
            this.arrow = arrow;
        }

        public String arrow() {
            return arrow;
        }
    }

    /** One trace record; see the class documentation for the fields. */
    public record Event(long seq, long timestampNanos, long durationNanos, int depth, Kind kind, Direction direction,
            String name, String driver, String adapter, int status, Map<String, String> detail, String thread) {

        public boolean hasStatus() {
            return status != NO_STATUS;
        }
    }

    /** A call in progress; {@link #end} records its status and duration. */
    public final class Span {
        private final int index;
        private final Event begun;
        private final int[] depthCounter;

        private Span(int index, Event begun, int[] depthCounter) {
            this.index = index;
            this.begun = begun;
            this.depthCounter = depthCounter;
        }

        public void end(int status) {
            end(status, Map.of());
        }

        public void end(int status, Map<String, String> detail) {
            if (depthCounter != null) {
                depthCounter[0]--;
            }
            if (index < 0) {
                return;
            }
            Map<String, String> merged = detail;
            if (!begun.detail().isEmpty()) {
                merged = new LinkedHashMap<>(begun.detail());
                merged.putAll(detail);
            }
            Event done = new Event(begun.seq(), begun.timestampNanos(), clock.nanoTime() - begun.timestampNanos(),
                    begun.depth(), begun.kind(), begun.direction(), begun.name(), begun.driver(), begun.adapter(),
                    status, Map.copyOf(merged), begun.thread());
            synchronized (NdisTrace.this) {
                events.set(index, done);
            }
            notifyListeners(done);
        }
    }

    private final DeviceClock clock;
    private final int capacity;
    private final List<Event> events = new ArrayList<>();
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private long dropped;

    @NdisInternal
    public NdisTrace(DeviceClock clock, int capacity) {
        this.clock = clock;
        this.capacity = capacity;
    }

    long now() {
        return clock.nanoTime();
    }

    /** Called with each event as it completes (calls when they end, instants at once). */
    public void addListener(Consumer<Event> listener) {
        listeners.add(listener);
    }

    @NdisInternal
    public Span begin(NdisCall call, String driver, String adapter, Map<String, String> detail) {
        return begin(Kind.CALL, call.direction(), call.name(), driver, adapter, detail);
    }

    @NdisInternal
    public Span begin(Kind kind, Direction direction, String name, String driver, String adapter, Map<String, String> detail) {
        int[] d = depth.get();
        int level = d[0]++;
        long t = clock.nanoTime();
        synchronized (this) {
            if (events.size() >= capacity) {
                dropped++;
                return new Span(-1, null, d);
            }
            Event e = new Event(events.size(), t, -1, level, kind, direction, name, driver, adapter, NO_STATUS,
                    Map.copyOf(detail), Thread.currentThread().getName());
            events.add(e);
            return new Span(events.size() - 1, e, d);
        }
    }

    @NdisInternal
    public void instant(Kind kind, Direction direction, String name, String driver, String adapter, int status,
            Map<String, String> detail) {
        long t = clock.nanoTime();
        Event e;
        synchronized (this) {
            if (events.size() >= capacity) {
                dropped++;
                return;
            }
            e = new Event(events.size(), t, 0, depth.get()[0], kind, direction, name, driver, adapter, status,
                    Map.copyOf(detail), Thread.currentThread().getName());
            events.add(e);
        }
        notifyListeners(e);
    }

    private void notifyListeners(Event e) {
        for (Consumer<Event> l : listeners) {
            l.accept(e);
        }
    }

    /** A snapshot, in begin order. */
    public synchronized List<Event> events() {
        return Collections.unmodifiableList(new ArrayList<>(events));
    }

    /** Events not kept because the trace was full. */
    public synchronized long dropped() {
        return dropped;
    }

    /** The events as the CLI prints them: time since the first event, duration, direction, name, status. */
    public void writeHuman(Appendable out) {
        List<Event> snapshot = events();
        long start = snapshot.isEmpty() ? 0 : snapshot.get(0).timestampNanos();
        try {
            for (Event e : snapshot) {
                out.append(formatHuman(e, start)).append('\n');
            }
            long d = dropped();
            if (d > 0) {
                out.append("... ").append(Long.toString(d)).append(" events dropped (trace full)\n");
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String toHumanString() {
        StringBuilder b = new StringBuilder();
        writeHuman(b);
        return b.toString();
    }

    static String formatHuman(Event e, long start) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%11.3f ms", (e.timestampNanos() - start) / 1e6));
        b.append(e.durationNanos() < 0 ? "    running" : String.format(" %8.3f ms", e.durationNanos() / 1e6));
        b.append("  ").append(String.format("%-14s", e.direction().arrow()));
        b.append("  ".repeat(e.depth()));
        String tag = switch (e.kind()) {
            case CALL -> "";
            case VIOLATION -> "VIOLATION ";
            default -> e.kind().json() + " ";
        };
        b.append(String.format("%-44s", tag + e.name()));
        b.append(String.format(" %-13s", e.adapter().isEmpty() ? e.driver() : e.adapter()));
        b.append(' ').append(e.hasStatus() ? NdisStatus.name(e.status()) : "");
        if (!e.detail().isEmpty()) {
            b.append("  ");
            e.detail().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(d -> b.append(d.getKey()).append('=').append(d.getValue()).append(' '));
        }
        return b.toString().stripTrailing();
    }

    /** One JSON object per event and line, in the schema of the class documentation. */
    public void writeJsonLines(Appendable out) {
        try {
            for (Event e : events()) {
                out.append(toJson(e)).append('\n');
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @NdisInternal
    public static String toJson(Event e) {
        StringBuilder b = new StringBuilder(256);
        b.append("{\"seq\":").append(e.seq());
        b.append(",\"t_ns\":").append(e.timestampNanos());
        b.append(",\"dur_ns\":").append(e.durationNanos());
        b.append(",\"depth\":").append(e.depth());
        b.append(",\"kind\":");
        quote(b, e.kind().json());
        b.append(",\"dir\":");
        quote(b, e.direction().arrow());
        b.append(",\"name\":");
        quote(b, e.name());
        b.append(",\"driver\":");
        quote(b, e.driver());
        b.append(",\"adapter\":");
        quote(b, e.adapter());
        if (e.hasStatus()) {
            b.append(",\"status\":");
            quote(b, NdisStatus.hex(e.status()));
            b.append(",\"status_name\":");
            quote(b, NdisStatus.name(e.status()));
        }
        b.append(",\"thread\":");
        quote(b, e.thread());
        b.append(",\"detail\":{");
        boolean first = true;
        for (Map.Entry<String, String> d : e.detail().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            quote(b, d.getKey());
            b.append(':');
            quote(b, d.getValue());
        }
        return b.append("}}").toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
