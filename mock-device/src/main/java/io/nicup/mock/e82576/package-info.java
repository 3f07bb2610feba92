/**
 * The Intel 82576 (igb) model ({@code mock:82576}): what is the 82576's own on top of the shared Intel
 * engines of {@code io.nicup.mock.intel}. {@link io.nicup.mock.e82576.E82576Model} wires them; the
 * register map ({@link io.nicup.mock.e82576.Regs}, with the advanced descriptors) is written from the
 * datasheet, not from the driver's constants; the register file with its queue enables and aliases
 * ({@code E82576Registers}, {@code E82576RegisterTable}), the interrupt unit with EICR and IVAR
 * ({@code E82576Interrupts}), the descriptor formats and causes ({@code E82576Queues}), the PHY
 * ({@link io.nicup.mock.e82576.Phy}, its BMCR handled by {@code E82576Registers}), the NVM template and the configuration
 * space ({@code E82576ConfigSpace}) are the chip's.
 */
package io.nicup.mock.e82576;
