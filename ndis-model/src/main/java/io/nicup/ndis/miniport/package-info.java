/**
 * The catalog of NIC families: {@link io.nicup.ndis.miniport.Miniports#CATALOG} maps a PCI ID to its
 * driver ({@link io.nicup.ndis.miniport.MiniportCatalog}); it is the one package that knows every family.
 * It also holds {@link io.nicup.ndis.protocol.FrameEdge}, a protocol edge that keeps frames as byte
 * arrays, until it moves to the NDIS model.
 *
 * <p>The families live in sub-packages, and dependencies point one way: a chip package ({@code i82574},
 * {@code i82576}) uses what the Intel chips share ({@code intel}), which uses what every family shares
 * ({@code core}), which uses the NDIS model ({@code io.nicup.ndis}). {@code virtio} uses {@code core}
 * only. No chip package imports a sibling's.
 */
package io.nicup.ndis.miniport;
