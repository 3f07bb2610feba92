/**
 * The protocol side: what sits above NDIS and receives what a miniport indicates.
 * {@link io.nicup.ndis.protocol.NdisProtocolEdge} is the interface (send completions, receive indications,
 * status indications); {@link io.nicup.ndis.protocol.FrameEdge} is the edge the CLI and tests use, which
 * copies frames and returns NBLs at once. Internal ({@link io.nicup.ndis.NdisInternal}):
 * {@link io.nicup.ndis.protocol.ProtocolDelivery}, which carries status indications to the edge and the
 * host's listeners. The miniports never import this package.
 *
 * <p>DDI pages followed: ProtocolReceiveNetBufferLists, ProtocolSendNetBufferListsComplete,
 * ProtocolStatusEx, NdisReturnNetBufferLists.
 */
package io.nicup.ndis.protocol;
