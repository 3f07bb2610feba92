/**
 * Internal ({@link io.nicup.ndis.NdisInternal}): what the parts of one NDIS host share. The services
 * bundle ({@link io.nicup.ndis.host.HostServices}), the base of the host's parts
 * ({@link io.nicup.ndis.host.HostPart}) and of the DDI call groups ({@link io.nicup.ndis.host.NdisCallSupport}:
 * traced calls, the handle check, the resource ledger, reporting a broken rule), the invoker that calls
 * miniport handlers ({@link io.nicup.ndis.host.MiniportInvoker}), and time: the device-clock timer queue
 * and the scheduler that runs it and polls interrupts ({@link io.nicup.ndis.host.TimerQueue},
 * {@link io.nicup.ndis.host.HostScheduler}). Miniports and the CLI use {@link io.nicup.ndis.Ndis} and
 * {@link io.nicup.ndis.NdisHost} instead.
 */
package io.nicup.ndis.host;
