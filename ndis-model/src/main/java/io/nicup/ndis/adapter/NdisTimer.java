package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.host.TimerQueue;

/**
 * A timer object from {@link Ndis#NdisAllocateTimerObject}, set with {@link Ndis#NdisSetTimerObject},
 * cancelled with {@link Ndis#NdisCancelTimerObject} and freed with {@link Ndis#NdisFreeTimerObject}.
 * Timers run on device-clock time: in the host's timer thread, or when the host runs its timers
 * ({@link NdisHost#runTimers()}, {@link NdisHost#idle}), so tests with a virtual clock are deterministic.
 */
public final class NdisTimer {

    @NdisInternal
    public final MiniportAdapter adapter;
    @NdisInternal
    public final NdisTimerFunction<Object> function;
    @NdisInternal
    public final Object context;
    final TimerQueue.Scheduled scheduled;
    @NdisInternal
    public ResourceLedger.Entry entry;

    @SuppressWarnings("unchecked")
    <C> NdisTimer(MiniportAdapter adapter, NdisTimerFunction<C> function, C context, TimerQueue.Scheduled scheduled) {
        this.adapter = adapter;
        this.function = (NdisTimerFunction<Object>) function;
        this.context = context;
        this.scheduled = scheduled;
    }

    @Override
    public String toString() {
        return "NdisTimer{" + adapter.name() + "}";
    }
}
