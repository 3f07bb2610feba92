package io.nicup.ndis.adapter;

/**
 * The deferred handler (MiniportInterruptDPC / MiniportMessageInterruptDPC): runs after an ISR that
 * returned {@link IsrResult#QUEUE_DPC}, on the same thread; here the miniport completes sends and
 * indicates receives.
 */
@FunctionalInterface
public interface MiniportInterruptDpc<A> {

    void dpc(A miniportInterruptContext, int messageId);
}
