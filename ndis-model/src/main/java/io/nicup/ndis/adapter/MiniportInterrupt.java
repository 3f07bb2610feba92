package io.nicup.ndis.adapter;

/**
 * The interrupt service routine (MiniportInterrupt / MiniportMessageInterrupt in one interface).
 *
 * <p>In nicup the ISR runs on the adapter's interrupt thread (or the thread that polls), not at DIRQL:
 * it reads and clears the cause, masks what needs masking and asks for the DPC. {@code messageId} is
 * the MSI/MSI-X vector, 0 for a line-based (INTx) interrupt.
 */
@FunctionalInterface
public interface MiniportInterrupt<A> {

    IsrResult isr(A miniportInterruptContext, int messageId);
}
