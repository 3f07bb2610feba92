/**
 * What every NIC family's miniport shares: the {@link io.nicup.ndis.miniport.Miniports#CATALOG catalog}
 * of drivers by PCI ID, the {@link io.nicup.ndis.miniport.NicDriver} and
 * {@link io.nicup.ndis.miniport.NicDiagnostics} views the CLI drives them through, and
 * {@link io.nicup.ndis.miniport.FrameEdge}, a protocol edge that keeps frames as byte arrays.
 * The families live in sub-packages ({@code i82574}, ...).
 */
package io.nicup.ndis.miniport;
