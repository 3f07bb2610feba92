/**
 * Simulated PCI NICs behind the device-access interfaces of {@code io.nicup.vfio}: a driver runs
 * unchanged on a {@link io.nicup.mock.MockPciDevice} and on a real function through VFIO.
 *
 * <p>Plumbing shared by every model: {@link io.nicup.mock.VirtualClock} (deterministic virtual time),
 * {@link io.nicup.mock.MockDmaAllocator} (DMA memory with a simulated IOMMU that records faults),
 * {@link io.nicup.mock.MockInterrupts} (vectors as bit masks), {@link io.nicup.mock.MockConfigSpace},
 * {@link io.nicup.mock.Wire} (the far end of the cable), and the spec parser and model registry
 * {@link io.nicup.mock.MockDevices}. Everything is single-threaded and runs in the caller's thread.
 *
 * <p>Pieces every model builds on: {@link io.nicup.mock.ModelFault} (the fault enums' names, counts and
 * catalogue), {@link io.nicup.mock.InjectedFaults} (when a traffic-triggered fault fires),
 * {@link io.nicup.mock.MsixTableSpace} and {@link io.nicup.mock.EmptySpace} (BARs with no model logic)
 * and {@link io.nicup.mock.AccessNotes}. What only the Intel models share is in {@code io.nicup.mock.intel}.
 */
package io.nicup.mock;
