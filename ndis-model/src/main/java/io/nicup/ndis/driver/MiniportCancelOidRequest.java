package io.nicup.ndis.driver;

/** MiniportCancelOidRequest: complete the pending request {@code requestId} with REQUEST_ABORTED. */
@FunctionalInterface
public interface MiniportCancelOidRequest<A> {

    void cancelOidRequest(A miniportAdapterContext, long requestId);
}
