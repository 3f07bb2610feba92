package io.nicup.ndis.oid;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.trace.Rule;
import io.nicup.ndis.trace.Verifier;
import io.nicup.ndis.trace.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * The verifier's checks on a completed OID request: a documented status, BytesNeeded and BytesWritten
 * that agree with the buffer, no "unsupported" for an OID the miniport listed, the multicast list and
 * packet filter answered as the DDI pages say. Each broken rule is recorded; the caller raises them.
 */
final class OidRules {

    private final Verifier verifier;

    OidRules(Verifier verifier) {
        this.verifier = verifier;
    }

    List<Violation> check(MiniportAdapter a, NdisOidRequest r, int status) {
        List<Violation> found = new ArrayList<>();
        String d = a.driver().name();
        String oid = "oid=" + Oid.name(r.oid()) + " status=" + NdisStatus.name(status);
        int length = r.informationBufferLength();
        if (!isDocumentedOidStatus(status)) {
            found.add(verifier.record(Rule.OID_STATUS, d, a.name(), oid));
        }
        if ((status == NdisStatus.BUFFER_TOO_SHORT && r.bytesNeeded() <= length)
                || (status == NdisStatus.INVALID_LENGTH && r.bytesNeeded() == 0)) {
            found.add(verifier.record(Rule.OID_BYTES_NEEDED, d, a.name(), oid + " bytes_needed=" + r.bytesNeeded()
                    + " length=" + length));
        }
        if (status == NdisStatus.SUCCESS && r.requestType().isQuery() && r.bytesWritten() > length) {
            found.add(verifier.record(Rule.OID_BYTES_WRITTEN, d, a.name(), oid + " bytes_written=" + r.bytesWritten()
                    + " length=" + length));
        }
        boolean unsupported = status == NdisStatus.INVALID_OID
                || (status == NdisStatus.NOT_SUPPORTED && r.requestType().isQuery() && !Oid.setOnly(r.oid()));
        if (unsupported && a.generalAttributes() != null && a.generalAttributes().supportsOid(r.oid())) {
            found.add(verifier.record(Rule.OID_LISTED_SUPPORTED, d, a.name(), oid));
        }
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        if (set && r.oid() == Oid.OID_802_3_MULTICAST_LIST && a.generalAttributes() != null) {
            if (length % MacAddress.LENGTH != 0 && status != NdisStatus.INVALID_LENGTH) {
                found.add(verifier.record(Rule.OID_MULTICAST_LIST, d, a.name(), oid + " length=" + length
                        + " expected=NDIS_STATUS_INVALID_LENGTH"));
            } else if (length % MacAddress.LENGTH == 0 && length / MacAddress.LENGTH > a.generalAttributes().maxMulticastListSize()
                    && status != NdisStatus.MULTICAST_FULL) {
                found.add(verifier.record(Rule.OID_MULTICAST_LIST, d, a.name(), oid + " entries="
                        + length / MacAddress.LENGTH + " max=" + a.generalAttributes().maxMulticastListSize()
                        + " expected=NDIS_STATUS_MULTICAST_FULL"));
            }
        }
        if (set && r.oid() == Oid.GEN_CURRENT_PACKET_FILTER && status == NdisStatus.SUCCESS && length >= 4
                && a.generalAttributes() != null) {
            int filter = r.informationBuffer().get(NdisOidRequest.ULONG, 0);
            if ((filter & ~a.generalAttributes().supportedPacketFilters()) != 0) {
                found.add(verifier.record(Rule.OID_PACKET_FILTER, d, a.name(), oid + String.format(
                        " filter=0x%X supported=0x%X", filter, a.generalAttributes().supportedPacketFilters())));
            }
        }
        if (set && r.oid() == Oid.GEN_RECEIVE_SCALE_PARAMETERS && status == NdisStatus.SUCCESS
                && a.generalAttributes() != null && a.generalAttributes().recvScaleCapabilities() != null
                && NdisReceiveScaleParameters.parse(r.informationBuffer(), a.generalAttributes().recvScaleCapabilities(),
                        NdisReceiveScaleParameters.DISABLED) instanceof NdisReceiveScaleParameters.Refused refused
                && !unchangedFlagsExplain(r, refused)) {
            found.add(verifier.record(Rule.RSS_PARAMETERS_REFUSED, d, a.name(), oid + " invalid=" + refused.reason()));
        }
        return found;
    }

    /**
     * The verifier parses over an empty configuration; a set that leaves the table or key unchanged may be
     * valid over the miniport's own, so only a refusal that does not hinge on those fields counts.
     */
    private static boolean unchangedFlagsExplain(NdisOidRequest r, NdisReceiveScaleParameters.Refused refused) {
        if (r.informationBufferLength() < 6) {
            return false;
        }
        int flags = r.informationBuffer().get(NdisOidRequest.USHORT, 4) & 0xFFFF;
        int keep = NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_ITABLE_UNCHANGED
                | NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_HASH_KEY_UNCHANGED
                | NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_HASH_INFO_UNCHANGED;
        return (flags & keep) != 0 && refused.reason().startsWith("RSS enabled without");
    }

    static boolean isDocumentedOidStatus(int s) {
        return s == NdisStatus.SUCCESS || s == NdisStatus.INVALID_OID || s == NdisStatus.NOT_SUPPORTED
                || s == NdisStatus.BUFFER_TOO_SHORT || s == NdisStatus.INVALID_LENGTH || s == NdisStatus.INVALID_DATA
                || s == NdisStatus.NOT_ACCEPTED || s == NdisStatus.REQUEST_ABORTED || s == NdisStatus.MULTICAST_FULL
                || s == NdisStatus.RESOURCES || s == NdisStatus.FAILURE;
    }
}
