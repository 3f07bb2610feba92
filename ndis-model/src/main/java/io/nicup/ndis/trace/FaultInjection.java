package io.nicup.ndis.trace;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;

/**
 * Makes NDIS calls fail on purpose, like Driver Verifier's low-resources simulation, so a miniport's
 * failure paths run: the selected call returns (or throws {@link NdisStatusException} with) the given
 * status instead of doing its work. Calls that honour it: NdisMRegisterMiniportDriver,
 * NdisOpenConfigurationEx, NdisMMapIoSpace, NdisMRegisterInterruptEx, NdisMRegisterScatterGatherDma,
 * NdisMAllocateSharedMemory, NdisAllocateNetBufferListPool, NdisAllocateTimerObject.
 */
public final class FaultInjection {

    private record Planned(int skip, int status) {
    }

    private final Map<NdisCall, Deque<Planned>> planned = new EnumMap<>(NdisCall.class);
    private final Map<NdisCall, Integer> always = new EnumMap<>(NdisCall.class);

    /** The next call of {@code call} fails with {@code status}. */
    public synchronized FaultInjection failNext(NdisCall call, int status) {
        return failAfter(call, 0, status);
    }

    /** The call after {@code skip} successful ones fails with {@code status}. */
    public synchronized FaultInjection failAfter(NdisCall call, int skip, int status) {
        planned.computeIfAbsent(call, c -> new ArrayDeque<>()).add(new Planned(skip, status));
        return this;
    }

    /** Every call of {@code call} fails with {@code status} until {@link #clear()}. */
    public synchronized FaultInjection failAlways(NdisCall call, int status) {
        always.put(call, status);
        return this;
    }

    public synchronized void clear() {
        planned.clear();
        always.clear();
    }

    /** The status this call must fail with, or SUCCESS. */
    @NdisInternal
    public synchronized int check(NdisCall call) {
        Integer forced = always.get(call);
        if (forced != null) {
            return forced;
        }
        Deque<Planned> queue = planned.get(call);
        if (queue == null || queue.isEmpty()) {
            return NdisStatus.SUCCESS;
        }
        Planned head = queue.poll();
        if (head.skip() > 0) {
            queue.addFirst(new Planned(head.skip() - 1, head.status()));
            return NdisStatus.SUCCESS;
        }
        return head.status();
    }
}
