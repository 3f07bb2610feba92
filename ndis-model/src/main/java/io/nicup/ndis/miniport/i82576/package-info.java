/**
 * What is the Intel 82576's (igb) own: register offsets and bits ({@link
 * io.nicup.ndis.miniport.i82576.Regs82576} and the per-register classes, named as in the 82576 datasheet
 * and Linux igb {@code e1000_regs.h} / {@code e1000_defines.h}), the advanced descriptor layouts and the
 * rings that encode them, the chip procedures ({@link io.nicup.ndis.miniport.i82576.E82576Hardware}), the
 * chip profile the shared Intel adapter runs ({@link io.nicup.ndis.miniport.i82576.Chip82576}: its
 * initialization steps, queue enables, EICR/IVAR interrupt unit, the receiver started after Restart), the
 * driver's name and PCI ID ({@link io.nicup.ndis.miniport.i82576.Miniport82576}) and its diagnostics. The
 * NDIS side is {@code io.nicup.ndis.miniport.intel}'s.
 *
 * <p>Facts come from the 82576 datasheet, Linux {@code drivers/net/ethernet/intel/igb} and, where QEMU's
 * {@code igb} model (QEMU 8.0 and later) behaves differently from the chip, {@code hw/net/igb_core.c}.
 */
package io.nicup.ndis.miniport.i82576;
