package io.nicup.ndis.driver;

import io.nicup.ndis.oid.NdisOidRequest;

/**
 * MiniportSynchronousOidRequest (characteristics revision 3, NDIS 6.80): an OID request the miniport
 * answers before returning; PENDING is not allowed.
 */
@FunctionalInterface
public interface MiniportSynchronousOidRequest<A> {

    int synchronousOidRequest(A miniportAdapterContext, NdisOidRequest oidRequest);
}
