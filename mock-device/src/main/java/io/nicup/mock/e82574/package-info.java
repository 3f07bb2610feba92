/**
 * The Intel 82574L model: {@link io.nicup.mock.e82574.E82574Model} (registers, PHY, NVM, rings,
 * interrupts, statistics, faults), its register and descriptor layouts ({@link io.nicup.mock.e82574.Regs},
 * {@link io.nicup.mock.e82574.TxDescriptor}, {@link io.nicup.mock.e82574.RxDescriptor}) and the
 * {@code mock:82574L} factory.
 */
package io.nicup.mock.e82574;
