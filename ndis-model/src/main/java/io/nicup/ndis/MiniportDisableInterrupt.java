package io.nicup.ndis;

/** MiniportDisableInterruptEx / MiniportDisableMessageInterrupt. Required; see {@link MiniportEnableInterrupt}. */
@FunctionalInterface
public interface MiniportDisableInterrupt<A> {

    void disable(A miniportInterruptContext, int messageId);
}
