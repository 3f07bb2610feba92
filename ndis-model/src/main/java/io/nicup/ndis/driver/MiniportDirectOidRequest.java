package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.oid.NdisOidRequest;

/**
 * MiniportDirectOidRequest (characteristics revision 2, NDIS 6.1): like {@link MiniportOidRequest} for
 * the direct OID path; a pending request completes with {@link Ndis#NdisMDirectOidRequestComplete}.
 * Must be registered together with {@link MiniportCancelDirectOidRequest} (both or neither).
 */
@FunctionalInterface
public interface MiniportDirectOidRequest<A> {

    int directOidRequest(A miniportAdapterContext, NdisOidRequest oidRequest);
}
