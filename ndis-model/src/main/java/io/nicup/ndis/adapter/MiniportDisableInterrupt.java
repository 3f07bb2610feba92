package io.nicup.ndis.adapter;

/** MiniportDisableInterruptEx / MiniportDisableMessageInterrupt. Required; see {@link MiniportEnableInterrupt}. */
@FunctionalInterface
public interface MiniportDisableInterrupt<A> {

    void disable(A miniportInterruptContext, int messageId);
}
