package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.oid.NdisOidRequest;

/**
 * MiniportOidRequest: returns SUCCESS, PENDING (then {@link Ndis#NdisMOidRequestComplete}),
 * INVALID_OID or NOT_SUPPORTED, BUFFER_TOO_SHORT or INVALID_LENGTH with BytesNeeded set, INVALID_DATA,
 * NOT_ACCEPTED, REQUEST_ABORTED (docs/ndis-contract.md §6). NDIS sends no new request until a pending one
 * has completed.
 */
@FunctionalInterface
public interface MiniportOidRequest<A> {

    int oidRequest(A miniportAdapterContext, NdisOidRequest oidRequest);
}
