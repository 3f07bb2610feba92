/**
 * What the Intel gigabit families (the 82574L's {@code i82574} and the 82576's {@code i82576}) share
 * where the logic is the same and only the descriptor encoding and the register offsets differ: the
 * transmit and receive descriptor rings ({@link io.nicup.ndis.miniport.intel.TxDescriptorRing},
 * {@link io.nicup.ndis.miniport.intel.RxDescriptorRing}) and the offsets of one queue's ring registers
 * ({@link io.nicup.ndis.miniport.intel.QueueRegisters}). Each family keeps its own descriptor layouts,
 * register maps and the ring subclasses that encode its descriptors.
 */
package io.nicup.ndis.miniport.intel;
