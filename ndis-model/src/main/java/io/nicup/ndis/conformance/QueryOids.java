package io.nicup.ndis.conformance;

import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.oid.Oid;
import java.util.Arrays;
import java.util.List;

/** The OIDs of an adapter's SupportedOidList that the miniport itself answers as queries (set-only ones left out). */
final class QueryOids {

    /** Large enough for every answer the miniports give (NDIS_STATISTICS_INFO is the largest). */
    static final int BUFFER = 4096;

    /** NDIS answers these from the attributes without calling the miniport (docs/ndis-contract.md §6). */
    private static final List<Integer> ANSWERED_BY_NDIS = List.of(Oid.GEN_SUPPORTED_LIST, Oid.GEN_MAXIMUM_FRAME_SIZE,
            Oid.GEN_LINK_STATE);

    private QueryOids() {
    }

    static List<Integer> listed(MiniportAdapter a) {
        return Arrays.stream(a.generalAttributes().supportedOidList()).boxed()
                .filter(oid -> !ANSWERED_BY_NDIS.contains(oid) && !Oid.setOnly(oid)).toList();
    }
}
