package io.nicup.cli;

import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.rss.RssParameterSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code recv --rss}: RSS turned on before receiving, as the TCP/IP stack would, with
 * OID_GEN_RECEIVE_SCALE_PARAMETERS (docs/ndis-contract.md §10): Microsoft's verification key
 * (docs/ndis-contract.md §10.3, so a hash can be checked by hand), every hash type the NIC announces and an
 * indirection table over its announced receive queues. Then each frame's hash and hash type as the
 * miniport indicated them (NetBufferListHashValue and NetBufferListHashInfo, docs/ndis-contract.md §11),
 * and their counts. A frame the NIC did not hash (not IP, or a type not asked for) says "no hash".
 */
final class RssHashes {

    private long hashed;
    private long notHashed;

    /** Sets RSS on the Running adapter; the NIC must announce it and the miniport must accept it. */
    static RssHashes enable(Session s) {
        NdisReceiveScaleCapabilities caps = s.adapter.generalAttributes().recvScaleCapabilities();
        if (caps == null) {
            throw new CliException(ExitCode.NOT_SUPPORTED, "rss not announced: device=" + s.spec,
                    "drop --rss: this NIC's miniport announces no receive-side scaling");
        }
        OidResult r = s.host.set(s.adapter, Oid.GEN_RECEIVE_SCALE_PARAMETERS, parameters(caps)).join();
        if (!r.succeeded()) {
            throw new CliException(ExitCode.HARDWARE, String.format(
                    "rss parameters refused: oid=OID_GEN_RECEIVE_SCALE_PARAMETERS status=0x%08X device=%s",
                    r.status(), s.spec), "the miniport refused RSS it announced: rerun with --trace FILE and report it");
        }
        return new RssHashes();
    }

    /** The announced types with Toeplitz, a table over the announced queues, Microsoft's key. */
    private static byte[] parameters(NdisReceiveScaleCapabilities caps) {
        return RssParameterSet.revision2(0, caps.supportedHashTypes() | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ,
                RssParameterSet.roundRobin(caps.maxIndirectionTableEntries(), caps.numberOfReceiveQueues()),
                RssParameterSet.verificationKey());
    }

    /**
     * "hash 0x51ccc178 (TCP/IPv4)" or "no hash" for {@code word} ({@code FrameEdge#receivedHashes}: HashInfo
     * high, HashValue low), counted.
     */
    String count(long word) {
        int info = (int) (word >>> 32);
        int type = info & NdisRssHash.NDIS_HASH_TYPE_MASK;
        if (type == 0) {
            notHashed++;
            return "no hash";
        }
        hashed++;
        return String.format("hash 0x%08x (%s)", (int) word, NdisRssHash.typeName(type));
    }

    String line() {
        return "rss: " + hashed + " hashed, " + notHashed + " not hashed (key: Microsoft's verification key)";
    }

    Map<String, Object> json() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("hashed", hashed);
        doc.put("not_hashed", notHashed);
        return doc;
    }
}
