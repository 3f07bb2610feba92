/**
 * What the miniports of every NIC family share, written once.
 * <ul>
 *   <li>the views the CLI drives a driver through: {@link io.nicup.ndis.miniport.core.NicDriver},
 *       {@link io.nicup.ndis.miniport.core.NicDiagnostics} with its
 *       {@link io.nicup.ndis.miniport.core.SelfTestResult} and
 *       {@link io.nicup.ndis.miniport.core.RegisterReading};</li>
 *   <li>the drivers' {@link io.nicup.ndis.miniport.core.AdapterContexts adapter contexts} and the
 *       {@link io.nicup.ndis.miniport.core.LinkWait link wait};</li>
 *   <li>the NDIS data path, {@link io.nicup.ndis.miniport.core.NdisDataPath} (send admission, completions,
 *       receive indication and returns), with its {@link io.nicup.ndis.miniport.core.DataPathDrain} (the pause
 *       drain, the reset and hang halves), over a family's
 *       {@link io.nicup.ndis.miniport.core.TxQueue} and {@link io.nicup.ndis.miniport.core.RxQueue};</li>
 *   <li>the link as NDIS hears of it: {@link io.nicup.ndis.miniport.core.LinkIndications};</li>
 *   <li>NDIS bookkeeping on the data path: the {@link io.nicup.ndis.miniport.core.PendingSends pending-send
 *       queue}, the {@link io.nicup.ndis.miniport.core.SendCheck send admission check}, the
 *       {@link io.nicup.ndis.miniport.core.TxStallWatch transmit hang rule} of MiniportCheckForHangEx;</li>
 *   <li>NDIS bookkeeping on the control path: the
 *       {@link io.nicup.ndis.miniport.core.ReceiveFilterOids packet filter and multicast OIDs}, the
 *       {@link io.nicup.ndis.miniport.core.DecidedIndications IND-01 count} of link indications
 *       MiniportPause waits for;</li>
 *   <li>DMA memory: {@link io.nicup.ndis.miniport.core.SharedMemoryRegion} (NDIS shared memory as a DMA
 *       region), the {@link io.nicup.ndis.miniport.core.PacketBufferPool packet buffers} and the
 *       {@link io.nicup.ndis.miniport.core.FastPathChecks switch} for the checks on the per-packet
 *       paths.</li>
 * </ul>
 * It depends on the NDIS model only, never on a family's package.
 */
package io.nicup.ndis.miniport.core;
