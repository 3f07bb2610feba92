/**
 * The Intel 82576 (igb) miniport: register offsets and bits ({@link io.nicup.ndis.miniport.i82576.Regs82576}
 * and the per-register classes, named as in the 82576 datasheet and Linux igb {@code e1000_regs.h} /
 * {@code e1000_defines.h}), the advanced descriptor layouts, the transmit/receive rings over them, the
 * chip operations, the NDIS adapter and its diagnostics. The family-independent pieces (packet buffer
 * pool, ring geometry checks, fast-path checks, statistics accumulation, the protocol edge) are the
 * 82574L's.
 *
 * <p>Facts come from the 82576 datasheet, Linux {@code drivers/net/ethernet/intel/igb} and, where QEMU's
 * {@code igb} model (QEMU 8.0 and later) behaves differently from the chip, {@code hw/net/igb_core.c}.
 */
package io.nicup.ndis.miniport.i82576;
