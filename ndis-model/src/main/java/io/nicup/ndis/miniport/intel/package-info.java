/**
 * What the Intel gigabit families (the 82574L's {@code i82574} and the 82576's {@code i82576}) share
 * where the logic is the same and only the descriptor encoding, the register offsets or the exception
 * types differ:
 * <ul>
 *   <li>the descriptor rings: {@link io.nicup.ndis.miniport.intel.TxDescriptorRing} and
 *       {@link io.nicup.ndis.miniport.intel.RxDescriptorRing} over a
 *       {@link io.nicup.ndis.miniport.intel.DescriptorRing} and one queue's
 *       {@link io.nicup.ndis.miniport.intel.QueueRegisters}, with their
 *       {@link io.nicup.ndis.miniport.intel.RingGeometry geometry checks}; each family's final ring classes
 *       encode its descriptors;</li>
 *   <li>the statistics registers, accumulated in software ({@link io.nicup.ndis.miniport.intel.IntelCounters}),
 *       and OID_GEN_STATISTICS from them ({@link io.nicup.ndis.miniport.intel.IntelStatistics});</li>
 *   <li>the NDIS data path over those rings ({@link io.nicup.ndis.miniport.intel.IntelDataPath}): sends,
 *       completions, receive indications, returns, and the data-path halves of pause, reset and
 *       CheckForHang, owned by each adapter;</li>
 *   <li>chip procedures: receive addresses and the multicast table
 *       ({@link io.nicup.ndis.miniport.intel.ReceiveAddressFilters}), the NVM checksum and MAC words
 *       ({@link io.nicup.ndis.miniport.intel.NvmWords}), PHY access over MDIC
 *       ({@link io.nicup.ndis.miniport.intel.MdicTransaction});</li>
 *   <li>self-test steps: the register pattern test, the loopback bursts, the link test, the PHY loopback
 *       offer and the register dump's flag names.</li>
 * </ul>
 * Each family keeps its datasheet names, register maps, descriptor layouts, tables and everything that
 * differs (reset, interrupts, queue enable, loopback entry) in its own package.
 */
package io.nicup.ndis.miniport.intel;
