/**
 * What every NIC family's miniport shares: the {@link io.nicup.ndis.miniport.Miniports#CATALOG catalog}
 * of drivers by PCI ID, the {@link io.nicup.ndis.miniport.NicDriver} and
 * {@link io.nicup.ndis.miniport.NicDiagnostics} views the CLI drives them through, and
 * {@link io.nicup.ndis.protocol.FrameEdge}, a protocol edge that keeps frames as byte arrays.
 * The families live in sub-packages ({@code i82574}, ...).
 *
 * <p>It also holds the NDIS bookkeeping the adapters of all families share, written once: the
 * {@link io.nicup.ndis.miniport.PendingSends pending-send queue} and the
 * {@link io.nicup.ndis.miniport.SendCheck send admission check}, the
 * {@link io.nicup.ndis.miniport.ReceiveFilterOids packet filter and multicast OIDs}, the
 * {@link io.nicup.ndis.miniport.TxStallWatch transmit hang rule} of MiniportCheckForHangEx, the
 * {@link io.nicup.ndis.miniport.DecidedIndications IND-01 count} of link indications MiniportPause waits
 * for, the drivers' {@link io.nicup.ndis.miniport.AdapterContexts adapter contexts} and
 * {@link io.nicup.ndis.miniport.LinkWait link wait}. What only the two Intel adapters share on the NDIS
 * side is in {@code intel}: the per-packet send and receive path with its pause, reset and hang halves
 * ({@link io.nicup.ndis.miniport.intel.IntelDataPath}, over the shared descriptor rings), which NBL
 * completes with which TX descriptor ({@link io.nicup.ndis.miniport.intel.TxDescriptorNbls}), the data
 * path's shared memory and receive NBLs ({@link io.nicup.ndis.miniport.intel.DataPathMemory}), the
 * MSI-X, MSI, INTx fallback ({@link io.nicup.ndis.miniport.intel.InterruptFallback}) and
 * OID_GEN_STATISTICS from the chips' counters ({@link io.nicup.ndis.miniport.intel.IntelStatistics}).
 * Apart from the data path's ring calls (tail doorbells and TDH), every register call stays in the
 * family's own adapter.
 */
package io.nicup.ndis.miniport;
