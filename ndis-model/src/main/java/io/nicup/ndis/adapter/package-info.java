/**
 * The adapter and its state machine: Halted, Initializing, Paused, Restarting, Running, Pausing and
 * Shutdown ({@link io.nicup.ndis.adapter.AdapterState}), the attributes a miniport sets in
 * MiniportInitializeEx, the hardware resources it takes through NDIS (I/O space, scatter-gather DMA,
 * shared memory, interrupts, timers) and the handles it gets back.
 *
 * <ul>
 * <li>For miniports: {@link io.nicup.ndis.adapter.NdisAdapterHandle},
 *     {@link io.nicup.ndis.adapter.MiniportAdapterAttributes}, {@link io.nicup.ndis.adapter.InitParameters},
 *     {@link io.nicup.ndis.adapter.AllocatedResources}, {@link io.nicup.ndis.adapter.NdisIoSpace},
 *     {@link io.nicup.ndis.adapter.SharedMemory}, {@link io.nicup.ndis.adapter.InterruptCharacteristics}
 *     and the interrupt handler interfaces, {@link io.nicup.ndis.adapter.NdisTimer}.</li>
 * <li>For the host: {@link io.nicup.ndis.adapter.MiniportAdapter} (state, attributes, counters, held
 *     resources).</li>
 * <li>Internal ({@link io.nicup.ndis.NdisInternal}): the adapter's own state as objects the host and
 *     {@link io.nicup.ndis.Ndis} share ({@link io.nicup.ndis.adapter.AdapterStateMachine},
 *     {@link io.nicup.ndis.adapter.AdapterResources} with its {@link io.nicup.ndis.adapter.ResourceLedger});
 *     the host's parts that drive the table ({@link io.nicup.ndis.adapter.AdapterInitializer},
 *     {@link io.nicup.ndis.adapter.AdapterLifecycle}, {@link io.nicup.ndis.adapter.HangWatchdog}); and the
 *     DDI groups behind {@link io.nicup.ndis.Ndis} ({@link io.nicup.ndis.adapter.AttributeCalls},
 *     {@link io.nicup.ndis.adapter.ResourceCalls}, {@link io.nicup.ndis.adapter.InterruptCalls},
 *     {@link io.nicup.ndis.adapter.PoolAndTimerCalls}, {@link io.nicup.ndis.adapter.CompletionCalls}).</li>
 * </ul>
 *
 * <p>DDI pages followed: MiniportInitializeEx, NdisMSetMiniportAttributes and the
 * NDIS_MINIPORT_ADAPTER_*_ATTRIBUTES structures, MiniportHaltEx, MiniportPause, MiniportRestart,
 * MiniportShutdownEx, MiniportDevicePnPEventNotify, MiniportCheckForHangEx, MiniportResetEx,
 * NdisMPauseComplete, NdisMRestartComplete, NdisMResetComplete, NdisMMapIoSpace,
 * NdisMRegisterScatterGatherDma, NdisMAllocateSharedMemory, NdisMRegisterInterruptEx,
 * NdisAllocateTimerObject; and the "Miniport adapter states and operations" overview.
 */
package io.nicup.ndis.adapter;
