/**
 * The data path: NET_BUFFER_LISTs and NET_BUFFERs over DMA memory, their pools, and both halves of a
 * frame's trip through NDIS. The protocol side sends and returns ({@link io.nicup.ndis.datapath.HostDataPath});
 * the miniport side completes sends and indicates receives ({@link io.nicup.ndis.datapath.DataPathCalls}).
 * Ownership of an NBL (free, with the protocol or miniport, sending, indicated) is tracked without locks;
 * per call, nothing is allocated, locked or traced unless a rule is broken.
 *
 * <ul>
 * <li>For miniports and the protocol side: {@link io.nicup.ndis.datapath.NetBufferList},
 *     {@link io.nicup.ndis.datapath.NetBuffer}, {@link io.nicup.ndis.datapath.Mdl} (docs/ndis-contract.md §16.1),
 *     {@link io.nicup.ndis.datapath.NetBufferListPool},
 *     {@link io.nicup.ndis.datapath.NetBufferListPoolParameters},
 *     {@link io.nicup.ndis.datapath.NdisReceiveFlags}.</li>
 * <li>For the host: {@link io.nicup.ndis.datapath.DataPathCounters}.</li>
 * <li>Internal ({@link io.nicup.ndis.NdisInternal}): {@link io.nicup.ndis.datapath.DataPathBookkeeping}
 *     (the adapter's counters), {@link io.nicup.ndis.datapath.HostDataPath},
 *     {@link io.nicup.ndis.datapath.DataPathCalls}.</li>
 * </ul>
 *
 * <p>DDI pages followed: NET_BUFFER_LIST, NET_BUFFER, NdisAllocateNetBufferListPool,
 * MiniportSendNetBufferLists, NdisMSendNetBufferListsComplete, NdisMIndicateReceiveNetBufferLists,
 * MiniportReturnNetBufferLists, MiniportCancelSend.
 */
package io.nicup.ndis.datapath;
