/**
 * OIDs and status indications: the request NDIS passes to MiniportOidRequest, the OID numbers and the
 * values they carry (link state, medium, packet filter, statistics, power management), and the status
 * indications a miniport raises.
 *
 * <ul>
 * <li>For miniports: {@link io.nicup.ndis.oid.NdisOidRequest}, {@link io.nicup.ndis.oid.Oid},
 *     {@link io.nicup.ndis.oid.NdisStatusIndication}, {@link io.nicup.ndis.oid.NdisLinkState} and the
 *     value types.</li>
 * <li>For the host: {@link io.nicup.ndis.oid.OidResult}.</li>
 * <li>Internal ({@link io.nicup.ndis.NdisInternal}): {@link io.nicup.ndis.oid.OidDispatcher} (one request
 *     at a time per adapter, the queue in {@link io.nicup.ndis.oid.OidQueue}),
 *     {@link io.nicup.ndis.oid.OidRules} (the verifier's checks on a completed request) and
 *     {@link io.nicup.ndis.oid.StatusIndicationCalls} (NdisMIndicateStatusEx, NdisWriteErrorLogEntry).</li>
 * </ul>
 *
 * <p>DDI pages followed: NDIS_OID_REQUEST, MiniportOidRequest, MiniportDirectOidRequest,
 * MiniportCancelOidRequest, NdisMOidRequestComplete, NdisMIndicateStatusEx, NDIS_LINK_STATE, and the
 * OID_GEN_* and OID_802_3_* reference pages.
 */
package io.nicup.ndis.oid;
