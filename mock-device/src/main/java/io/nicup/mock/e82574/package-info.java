/**
 * The Intel 82574L model ({@code mock:82574L}): what is the 82574L's own on top of the shared Intel
 * engines of {@code io.nicup.mock.intel}. {@link io.nicup.mock.e82574.E82574Model} wires them; the
 * register map ({@link io.nicup.mock.e82574.Regs}, {@link io.nicup.mock.e82574.TxDescriptor},
 * {@link io.nicup.mock.e82574.RxDescriptor}) is written from the datasheet, not from the driver's
 * constants; the register file ({@code E82574Registers}, {@code E82574RegisterTable}), the interrupt unit
 * ({@code E82574Interrupts}), the descriptor formats and causes ({@code E82574Queues}), the PHY
 * ({@link io.nicup.mock.e82574.Phy}, its BMCR handled by {@code E82574Registers}), the NVM template and the configuration
 * space ({@code E82574ConfigSpace}) are the chip's.
 */
package io.nicup.mock.e82574;
