/**
 * What is the Intel 82574L's (e1000e) own: register offsets and bits ({@link
 * io.nicup.ndis.miniport.i82574.Regs82574} and the per-register bit classes), the legacy descriptor
 * layouts and the rings that encode them ({@link io.nicup.ndis.miniport.i82574.TxRing},
 * {@link io.nicup.ndis.miniport.i82574.RxRing}), the chip procedures
 * ({@link io.nicup.ndis.miniport.i82574.E82574Hardware}), the chip profile the shared Intel adapter runs
 * ({@link io.nicup.ndis.miniport.i82574.Chip82574}: its initialization steps, interrupt unit and RCTL),
 * the driver's name and PCI ID ({@link io.nicup.ndis.miniport.i82574.Miniport82574}) and its
 * diagnostics. The NDIS side is {@code io.nicup.ndis.miniport.intel}'s.
 *
 * <p>Facts come from {@code docs/hardware-reference.md} section B, cited as
 * "docs/hardware-reference.md B.n" in the comments.
 */
package io.nicup.ndis.miniport.i82574;
