package io.nicup.ndis.oid;

/** NDIS_REQUEST_TYPE values nicup issues (names only). */
public enum OidRequestType {
    NdisRequestQueryInformation,
    NdisRequestSetInformation,
    NdisRequestQueryStatistics,
    NdisRequestMethod;

    public boolean isQuery() {
        return this == NdisRequestQueryInformation || this == NdisRequestQueryStatistics;
    }
}
