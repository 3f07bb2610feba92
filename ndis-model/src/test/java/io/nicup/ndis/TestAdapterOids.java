package io.nicup.ndis;

import static io.nicup.ndis.TestAdapter.MAX_MULTICAST;
import static io.nicup.ndis.TestAdapter.SUPPORTED_FILTERS;

import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidRequestType;
import java.lang.foreign.ValueLayout;

/**
 * The OID requests of the {@link TestAdapter}: answers from its state, pending and cancelled requests, and the
 * shared core's offload and RSS OIDs when {@link Switches#offloadCapabilities} is set.
 */
final class TestAdapterOids {

    private final TestAdapter a;
    private final Switches sw;
    private final Ndis ndis;
    private final NdisAdapterHandle handle;

    TestAdapterOids(TestAdapter a) {
        this.a = a;
        this.sw = a.sw;
        this.ndis = a.ndis;
        this.handle = a.handle;
    }

    int oidRequest(NdisOidRequest r) {
        a.maybeThrow(NdisCall.MiniportOidRequest);
        if (sw.pendingOids.contains(r.oid())) {
            a.pendingOid = r;
            if (sw.oidCompleteAndReturn) {
                ndis.NdisMOidRequestComplete(handle, r, answer(r));
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.PENDING;
        }
        return answer(r);
    }

    int directOidRequest(NdisOidRequest r) {
        return answer(r);
    }

    /** Completes the request returned PENDING earlier, with what it would have answered. */
    void completePendingOid() {
        NdisOidRequest r = a.pendingOid;
        a.pendingOid = null;
        ndis.NdisMOidRequestComplete(handle, r, answer(r));
    }

    void cancelOidRequest(long requestId) {
        if (a.pendingOid != null && a.pendingOid.requestId() == requestId && !sw.ignoreOidCancel) {
            NdisOidRequest r = a.pendingOid;
            a.pendingOid = null;
            ndis.NdisMOidRequestComplete(handle, r, NdisStatus.REQUEST_ABORTED);
        }
    }

    private int answer(NdisOidRequest r) {
        if (sw.oidStatusOverride != 0) {
            return sw.oidStatusOverride;
        }
        if (sw.unsupportedListedOids.contains(r.oid())) {
            return NdisStatus.NOT_SUPPORTED;
        }
        if (sw.oidNoBytesNeeded && r.oid() == Oid.OID_802_3_PERMANENT_ADDRESS) {
            return NdisStatus.BUFFER_TOO_SHORT;
        }
        if (sw.oidOverwrite && r.oid() == Oid.OID_802_3_CURRENT_ADDRESS) {
            r.setBytesWritten(r.informationBufferLength() + 2);
            return NdisStatus.SUCCESS;
        }
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        if (sw.rssTakesAnything && set && r.oid() == Oid.GEN_RECEIVE_SCALE_PARAMETERS) {
            return NdisStatus.SUCCESS;
        }
        return switch (r.oid()) {
            case Oid.GEN_CURRENT_PACKET_FILTER -> set ? setPacketFilter(r) : r.queryUlong(a.packetFilter);
            case Oid.OID_802_3_PERMANENT_ADDRESS -> r.queryMacAddress(a.permanent);
            case Oid.OID_802_3_CURRENT_ADDRESS -> r.queryMacAddress(a.current);
            case Oid.OID_802_3_MULTICAST_LIST -> set ? setMulticastList(r) : r.queryBytes(a.multicast);
            case Oid.OID_802_3_MAXIMUM_LIST_SIZE -> r.queryUlong(MAX_MULTICAST);
            case Oid.GEN_STATISTICS -> r.queryStatistics(new NdisStatisticsInfo(
                    NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV | NdisStatisticsInfo.VALID_BYTES_RCV
                            | NdisStatisticsInfo.VALID_DIRECTED_FRAMES_XMIT,
                    0, 0, a.rxBytes, a.rxFrames, 0, 0, 0, a.txFrames, 0, 0, 0, 0, a.rxBytes, 0, 0, 0, 0, 0));
            default -> a.offloads == null ? NdisStatus.NOT_SUPPORTED : a.offloads.request(r);
        };
    }

    private int setPacketFilter(NdisOidRequest r) {
        int status = r.requireLength(4);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        int filter = r.readUlong(0);
        if ((filter & ~SUPPORTED_FILTERS) != 0 && !sw.packetFilterAcceptsAnything) {
            return NdisStatus.NOT_SUPPORTED;
        }
        a.packetFilter = filter;
        return NdisStatus.SUCCESS;
    }

    private int setMulticastList(NdisOidRequest r) {
        int length = r.informationBufferLength();
        if (!sw.multicastNoChecks) {
            if (length % MacAddress.LENGTH != 0) {
                r.setBytesNeeded((length / MacAddress.LENGTH + 1) * MacAddress.LENGTH);
                return NdisStatus.INVALID_LENGTH;
            }
            if (length / MacAddress.LENGTH > MAX_MULTICAST) {
                return NdisStatus.MULTICAST_FULL;
            }
        }
        a.multicast = r.informationBuffer().toArray(ValueLayout.JAVA_BYTE);
        r.setBytesRead(length);
        return NdisStatus.SUCCESS;
    }
}
