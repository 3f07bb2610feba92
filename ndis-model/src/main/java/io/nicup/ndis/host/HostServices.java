package io.nicup.ndis.host;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.trace.FaultInjection;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Verifier;
import io.nicup.vfio.DeviceClock;

/**
 * What every part of one NDIS host shares: its options and clock, the trace and verifier every step
 * reports to, the injected faults, the timer queue, the serialization lock of host operations and the
 * invoker that calls miniport handlers.
 */
@NdisInternal
public record HostServices(HostOptions options, DeviceClock clock, NdisTrace trace, Verifier verifier,
        FaultInjection faults, TimerQueue timers, Object control, MiniportInvoker invoker) {
}
