/**
 * What the Intel gigabit families (the 82574L's {@code i82574} and the 82576's {@code i82576}) share:
 * the whole NDIS side, and the chip logic that is the same where only register offsets or descriptor
 * encodings differ.
 * <ul>
 *   <li>the driver and the adapter: {@link io.nicup.ndis.miniport.intel.IntelMiniport} (DriverEntry, the
 *       characteristics, MiniportInitializeEx per adapter) and {@link io.nicup.ndis.miniport.intel.IntelAdapter}
 *       (the initialization in the datasheets' order, release in reverse, restart, pause, PnP, CheckForHang
 *       and reset), with its interrupt side ({@link io.nicup.ndis.miniport.intel.IntelInterrupts}: ISR,
 *       DPC, polling, link changes) and its OIDs ({@link io.nicup.ndis.miniport.intel.IntelOids}), over a
 *       chip profile: {@link io.nicup.ndis.miniport.intel.IntelChipProfile} (PCI ID, names) and one
 *       {@link io.nicup.ndis.miniport.intel.IntelChip} per adapter (reset and identify, hardware
 *       programming, interrupt routing and cause decoding, receive control), with the chip procedures
 *       the adapter calls directly ({@link io.nicup.ndis.miniport.intel.IntelHardware});</li>
 *   <li>the adapter parameters ({@link io.nicup.ndis.miniport.intel.IntelConfig}), the RCTL filter bits
 *       ({@link io.nicup.ndis.miniport.intel.ReceiveControl}) and the ICR causes the adapter reads
 *       ({@link io.nicup.ndis.miniport.intel.IntelCauses});</li>
 *   <li>the descriptor rings: {@link io.nicup.ndis.miniport.intel.TxDescriptorRing} and
 *       {@link io.nicup.ndis.miniport.intel.RxDescriptorRing} over a
 *       {@link io.nicup.ndis.miniport.intel.DescriptorRing} and one queue's
 *       {@link io.nicup.ndis.miniport.intel.QueueRegisters}, with their
 *       {@link io.nicup.ndis.miniport.intel.RingGeometry geometry checks}; each family's final ring classes
 *       encode its descriptors;</li>
 *   <li>the NDIS data path over those rings ({@link io.nicup.ndis.miniport.core.NdisDataPath} over
 *       {@link io.nicup.ndis.miniport.intel.IntelTxQueue} and {@link io.nicup.ndis.miniport.intel.IntelRxQueue}): sends,
 *       completions, receive indications, returns, and the data-path halves of pause, reset and
 *       CheckForHang; which NBL completes with which TX descriptor
 *       ({@link io.nicup.ndis.miniport.intel.TxDescriptorNbls}); the data path's shared memory and receive
 *       NBLs ({@link io.nicup.ndis.miniport.intel.DataPathMemory}); the MSI-X, MSI, INTx fallback
 *       ({@link io.nicup.ndis.miniport.intel.InterruptFallback});</li>
 *   <li>the statistics registers, accumulated in software ({@link io.nicup.ndis.miniport.intel.IntelCounters}),
 *       and OID_GEN_STATISTICS from them ({@link io.nicup.ndis.miniport.intel.IntelStatistics});</li>
 *   <li>chip procedures: receive addresses and the multicast table
 *       ({@link io.nicup.ndis.miniport.intel.ReceiveAddressFilters}), the NVM checksum and MAC words
 *       ({@link io.nicup.ndis.miniport.intel.NvmWords}, {@link io.nicup.ndis.miniport.intel.NvmException}),
 *       PHY access over MDIC ({@link io.nicup.ndis.miniport.intel.MdicTransaction},
 *       {@link io.nicup.ndis.miniport.intel.PhyAccessException});</li>
 *   <li>self-test steps: the register pattern test, the loopback bursts, the link test, the PHY loopback
 *       offer and the register dump's flag names.</li>
 * </ul>
 * Each family keeps its datasheet names, register maps, descriptor layouts and its chip profile in its own
 * package. This package uses {@code core} and the NDIS model, never a chip package.
 */
package io.nicup.ndis.miniport.intel;
