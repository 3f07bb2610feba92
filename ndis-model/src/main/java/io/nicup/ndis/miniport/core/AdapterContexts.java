package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The MiniportAdapterContexts of one miniport driver by interface index: what MiniportInitializeEx adds,
 * MiniportHaltEx removes, and the CLI and the diagnostics look up; and, per adapter, why its last
 * MiniportInitializeEx failed ({@link InitFailure}), so that two adapters of one driver never see each
 * other's failure.
 *
 * @param <A> the driver's adapter context
 */
public final class AdapterContexts<A> {

    private final String kind;
    private final Map<Integer, A> byIfIndex = new ConcurrentHashMap<>();
    private final Map<Integer, InitFailure> failures = new ConcurrentHashMap<>();

    /** @param kind what the adapters are called in messages ("82574L", "virtio-net") */
    public AdapterContexts(String kind) {
        this.kind = kind;
    }

    /**
     * Adds {@code context} for the length of its MiniportInitializeEx ({@code initialize}), and keeps it
     * only when that returns SUCCESS; returns its status. The adapter's previous failure is forgotten.
     */
    public int initialize(int ifIndex, A context, IntSupplier initialize) {
        failures.remove(ifIndex);
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

    /** The adapter of {@code ifIndex} failed: {@code failure} says where and why. */
    public void failed(int ifIndex, InitFailure failure) {
        failures.put(ifIndex, failure);
    }

    /** Why the last MiniportInitializeEx of {@code a} failed, if it did. */
    public Optional<InitFailure> initFailure(MiniportAdapter a) {
        return Optional.ofNullable(failures.get(a.ifIndex()));
    }

    /**
     * The context of an initialized adapter; for any other an IllegalStateException that says why, with
     * that adapter's failure when it has one.
     */
    public A of(MiniportAdapter a) {
        A x = byIfIndex.get(a.ifIndex());
        if (x == null) {
            InitFailure failure = failures.get(a.ifIndex());
            throw new IllegalStateException("no initialized " + kind + " adapter: adapter=" + a.name() + " state="
                    + a.state() + (failure != null ? " last_failure=" + failure.detail() : ""));
        }
        return x;
    }
}
