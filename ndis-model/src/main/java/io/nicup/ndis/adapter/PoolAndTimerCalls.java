package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.HostDataPath;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.datapath.NetBufferListPoolParameters;
import io.nicup.ndis.host.HostScheduler;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.host.TimerQueue;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import java.util.Map;

/**
 * NBL pools and timer objects a miniport allocates through NDIS: NdisAllocateNetBufferListPool (with DMA
 * buffers when asked) and NdisFreeNetBufferListPool; NdisAllocateTimerObject, NdisSetTimerObject,
 * NdisCancelTimerObject and NdisFreeTimerObject on the host's device-clock timer queue.
 */
@NdisInternal
public final class PoolAndTimerCalls extends NdisCallSupport {

    private final HostDataPath hostDataPath;
    private final HostScheduler scheduler;

    public PoolAndTimerCalls(HostServices services, ProtocolDelivery delivery, Object owner, HostDataPath hostDataPath, HostScheduler scheduler) {
        super(services, delivery, owner);
        this.hostDataPath = hostDataPath;
        this.scheduler = scheduler;
    }

    public NetBufferListPool NdisAllocateNetBufferListPool(NdisAdapterHandle ndisHandle,
            NetBufferListPoolParameters parameters) {
        Map<String, String> detail = Map.of("purpose", parameters.purpose(), "count", Integer.toString(parameters.count()),
                "data_size", Integer.toString(parameters.dataSize()));
        return adapterHandleCall(NdisCall.NdisAllocateNetBufferListPool, ndisHandle, detail, a -> {
            injected(NdisCall.NdisAllocateNetBufferListPool);
            NetBufferListPool pool = hostDataPath.newPool(a, parameters, true);
            pool.entry = acquire(a, ResourceLedger.Kind.NBL_POOL, "NetBufferListPool(" + parameters.purpose() + ", "
                    + parameters.count() + ")", pool::close);
            return pool;
        });
    }

    public void NdisFreeNetBufferListPool(NetBufferListPool poolHandle) {
        NetBufferListPool pool = poolHandle;
        if (!pool.isMiniportOwned()) {
            throw new NdisException("NdisFreeNetBufferListPool of a pool the miniport did not allocate: pool="
                    + pool.purpose());
        }
        adapterStatusCall(NdisCall.NdisFreeNetBufferListPool, pool.adapter().handle, Map.of("purpose", pool.purpose()), a -> {
            int outstanding = pool.outstanding();
            if (outstanding > 0) {
                return reject(a, Rule.NBL_POOL_OUTSTANDING, NdisStatus.FAILURE,
                        "pool=" + pool.purpose() + " outstanding=" + outstanding);
            }
            if (release(a, pool.entry, NdisCall.NdisFreeNetBufferListPool)) {
                pool.close();
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }

    public <C> NdisTimer NdisAllocateTimerObject(NdisAdapterHandle ndisHandle, NdisTimerFunction<C> timerFunction,
            C functionContext) {
        return adapterHandleCall(NdisCall.NdisAllocateTimerObject, ndisHandle, Map.of(), a -> {
            injected(NdisCall.NdisAllocateTimerObject);
            NdisTimer[] holder = new NdisTimer[1];
            TimerQueue.Scheduled scheduled = new TimerQueue.Scheduled(() -> scheduler.fireTimer(holder[0]));
            NdisTimer timer = new NdisTimer(a, timerFunction, functionContext, scheduled);
            holder[0] = timer;
            timer.entry = acquire(a, ResourceLedger.Kind.TIMER, "Timer#" + System.identityHashCode(timer),
                    () -> timers.cancel(scheduled));
            return timer;
        });
    }

    public boolean NdisSetTimerObject(NdisTimer timerObject, long dueInNanos, long periodNanos) {
        MiniportAdapter a = alive(timerObject.adapter.handle, NdisCall.NdisSetTimerObject);
        if (a == null || !a.resources.ledger.holds(timerObject.entry)) {
            return false;
        }
        return timers.set(timerObject.scheduled, dueInNanos, periodNanos);
    }

    public boolean NdisCancelTimerObject(NdisTimer timerObject) {
        return timers.cancel(timerObject.scheduled);
    }

    public void NdisFreeTimerObject(NdisTimer timerObject) {
        adapterStatusCall(NdisCall.NdisFreeTimerObject, timerObject.adapter.handle, Map.of(), a -> {
            if (timers.isQueued(timerObject.scheduled)) {
                report(a, Rule.TIMER_FREE_WHILE_SET, "timer=" + timerObject.entry.name);
                timers.cancel(timerObject.scheduled);
            }
            return release(a, timerObject.entry, NdisCall.NdisFreeTimerObject) ? NdisStatus.SUCCESS : NdisStatus.FAILURE;
        });
    }
}
