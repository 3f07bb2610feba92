package io.nicup.ndis;

import io.nicup.vfio.DeviceClock;

/**
 * What every part of one NDIS host shares: its options and clock, the trace and verifier every step
 * reports to, the injected faults, the timer queue, the serialization lock of host operations and the
 * invoker that calls miniport handlers.
 */
record HostServices(NdisHost.Options options, DeviceClock clock, NdisTrace trace, Verifier verifier,
        FaultInjection faults, TimerQueue timers, Object control, MiniportInvoker invoker) {
}
