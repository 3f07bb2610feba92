package io.nicup.ndis.driver;

/** MiniportCancelDirectOidRequest (revision 2): pairs with {@link MiniportDirectOidRequest}. */
@FunctionalInterface
public interface MiniportCancelDirectOidRequest<A> {

    void cancelDirectOidRequest(A miniportAdapterContext, long requestId);
}
