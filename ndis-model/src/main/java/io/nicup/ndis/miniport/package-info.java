/**
 * What every NIC family's miniport shares: the {@link io.nicup.ndis.miniport.Miniports#CATALOG catalog}
 * of drivers by PCI ID, the {@link io.nicup.ndis.miniport.NicDriver} and
 * {@link io.nicup.ndis.miniport.NicDiagnostics} views the CLI drives them through, and
 * {@link io.nicup.ndis.miniport.FrameEdge}, a protocol edge that keeps frames as byte arrays.
 * The families live in sub-packages ({@code i82574}, ...).
 *
 * <p>It also holds the NDIS bookkeeping the adapters of all families share, written once: the
 * {@link io.nicup.ndis.miniport.PendingSends pending-send queue} and the
 * {@link io.nicup.ndis.miniport.SendCheck send admission check}, the
 * {@link io.nicup.ndis.miniport.ReceiveFilterOids packet filter and multicast OIDs}, the
 * {@link io.nicup.ndis.miniport.TxStallWatch transmit hang rule} of MiniportCheckForHangEx, the
 * {@link io.nicup.ndis.miniport.DecidedIndications IND-01 count} of link indications MiniportPause waits
 * for, the drivers' {@link io.nicup.ndis.miniport.AdapterContexts adapter contexts} and
 * {@link io.nicup.ndis.miniport.LinkWait link wait}. What only the Intel families share is in
 * {@code intel}.
 */
package io.nicup.ndis.miniport;
