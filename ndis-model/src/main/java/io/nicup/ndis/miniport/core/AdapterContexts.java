package io.nicup.ndis.miniport.core;

import io.nicup.ndis.MiniportAdapter;
import io.nicup.ndis.NdisStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The MiniportAdapterContexts of one miniport driver by interface index: what MiniportInitializeEx adds,
 * MiniportHaltEx removes, and the CLI and the diagnostics look up.
 *
 * @param <A> the driver's adapter context
 */
public final class AdapterContexts<A> {

    private final String kind;
    private final Map<Integer, A> byIfIndex = new ConcurrentHashMap<>();

    /** @param kind what the adapters are called in messages ("82574L", "virtio-net") */
    public AdapterContexts(String kind) {
        this.kind = kind;
    }

    /**
     * Adds {@code context} for the length of its MiniportInitializeEx ({@code initialize}), and keeps it
     * only when that returns SUCCESS; returns its status.
     */
    public int initialize(int ifIndex, A context, IntSupplier initialize) {
        byIfIndex.put(ifIndex, context);
        int status = initialize.getAsInt();
        if (status != NdisStatus.SUCCESS) {
            byIfIndex.remove(ifIndex);
        }
        return status;
    }

    /** MiniportHaltEx finished with the adapter of {@code ifIndex}. */
    public void halted(int ifIndex) {
        byIfIndex.remove(ifIndex);
    }

    /**
     * The context of an initialized adapter; for any other an IllegalStateException that says why, with
     * {@code lastInitFailure} (null when there was none).
     */
    public A of(MiniportAdapter a, String lastInitFailure) {
        A x = byIfIndex.get(a.ifIndex());
        if (x == null) {
            throw new IllegalStateException("no initialized " + kind + " adapter: adapter=" + a.name() + " state="
                    + a.state() + (lastInitFailure != null ? " last_failure=" + lastInitFailure : ""));
        }
        return x;
    }
}
