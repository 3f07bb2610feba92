package io.nicup.ndis.driver;

/** MiniportCancelSend: cancel queued sends whose NBL carries {@code cancelId}; complete them with SEND_ABORTED. */
@FunctionalInterface
public interface MiniportCancelSend<A> {

    void cancelSend(A miniportAdapterContext, long cancelId);
}
