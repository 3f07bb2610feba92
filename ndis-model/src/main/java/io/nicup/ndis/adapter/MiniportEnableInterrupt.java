package io.nicup.ndis.adapter;

/**
 * MiniportEnableInterruptEx / MiniportEnableMessageInterrupt. Required at registration
 * (docs/ndis-contract.md §2); nicup has no occasion to call it (no shared lines, no power transitions) and
 * never does.
 */
@FunctionalInterface
public interface MiniportEnableInterrupt<A> {

    void enable(A miniportInterruptContext, int messageId);
}
