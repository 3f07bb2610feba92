package io.nicup.ndis.miniport.core;

import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidRequestType;

/**
 * The Ethernet OIDs every family answers that are query only: the permanent and current address (the current
 * one is set through the NetworkAddress keyword, never by OID), the multicast list's size and the statistics.
 * A set of one of them changes nothing and fails with NOT_SUPPORTED (docs/ndis-contract.md §15), rather than
 * being answered as if it were a query.
 */
public final class QueryOnlyOids {

    private QueryOnlyOids() {
    }

    /** True when {@code r} is a set of a query-only OID: the miniport answers NDIS_STATUS_NOT_SUPPORTED. */
    public static boolean isSetOfQueryOnly(NdisOidRequest r) {
        return r.requestType() == OidRequestType.NdisRequestSetInformation && queryOnly(r.oid());
    }

    /** The query-only OIDs of this class. */
    public static boolean queryOnly(int oid) {
        return switch (oid) {
            case Oid.OID_802_3_PERMANENT_ADDRESS, Oid.OID_802_3_CURRENT_ADDRESS, Oid.OID_802_3_MAXIMUM_LIST_SIZE,
                    Oid.GEN_STATISTICS -> true;
            default -> false;
        };
    }
}
