package io.nicup.cli;

import io.nicup.ndis.datapath.NetBufferListInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code recv --checksums}: each received frame's checksum verdict as the miniport indicated it
 * (NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO, docs/ndis-contract.md §11), and their counts. A frame is
 * "bad" when a checksum is flagged failed, "good" when one is flagged succeeded and none failed, and "not
 * checked" when the NIC said nothing: a verdict it did not give is never counted as good.
 */
final class ChecksumVerdicts {

    private static final int FAILED = NetBufferListInfo.RX_TCP_CHECKSUM_FAILED | NetBufferListInfo.RX_UDP_CHECKSUM_FAILED
            | NetBufferListInfo.RX_IP_CHECKSUM_FAILED;
    private static final int SUCCEEDED = NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED
            | NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED | NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED;

    private long good;
    private long bad;
    private long notChecked;

    /** "good", "bad" or "not checked" for the verdict {@code info}, counted. */
    String count(int info) {
        if ((info & FAILED) != 0) {
            bad++;
            return "bad (" + names(info & FAILED) + " failed)";
        }
        if ((info & SUCCEEDED) != 0) {
            good++;
            return "good (" + names(info & SUCCEEDED) + ")";
        }
        notChecked++;
        return "not checked";
    }

    private static String names(int bits) {
        StringBuilder sb = new StringBuilder();
        if ((bits & (NetBufferListInfo.RX_IP_CHECKSUM_FAILED | NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED)) != 0) {
            sb.append("IP");
        }
        if ((bits & (NetBufferListInfo.RX_TCP_CHECKSUM_FAILED | NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED)) != 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append("TCP");
        }
        if ((bits & (NetBufferListInfo.RX_UDP_CHECKSUM_FAILED | NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED)) != 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append("UDP");
        }
        return sb.toString();
    }

    String line() {
        return "checksums: " + good + " good, " + bad + " bad, " + notChecked + " not checked";
    }

    Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("good", good);
        doc.put("bad", bad);
        doc.put("not_checked", notChecked);
        return doc;
    }
}
