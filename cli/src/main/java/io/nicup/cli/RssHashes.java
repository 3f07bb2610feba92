package io.nicup.cli;

import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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

    /** Microsoft's RSS verification key (WDD "Verifying the RSS Hash Calculation"). */
    static final byte[] KEY = {
        0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3,
        (byte) 0x8f, (byte) 0xb0, (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
        0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c, 0x6a, 0x42, (byte) 0xb7, 0x3b,
        (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa};

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

    /** NDIS_RECEIVE_SCALE_PARAMETERS revision 2: the announced types, the table, then {@link #KEY}. */
    private static byte[] parameters(NdisReceiveScaleCapabilities caps) {
        int entries = caps.maxIndirectionTableEntries();
        int queues = Math.max(1, caps.numberOfReceiveQueues());
        int header = NdisReceiveScaleParameters.SIZEOF_REVISION[2];
        byte[] out = new byte[header + 4 * entries + KEY.length];
        MemorySegment b = MemorySegment.ofArray(out);
        b.set(ValueLayout.JAVA_BYTE, 0, (byte) NdisReceiveScaleParameters.NDIS_OBJECT_TYPE_RSS_PARAMETERS);
        b.set(ValueLayout.JAVA_BYTE, 1, (byte) 2);
        b.set(NdisOidRequest.USHORT, 2, (short) header);
        b.set(NdisOidRequest.ULONG, 8, caps.supportedHashTypes() | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ);
        b.set(NdisOidRequest.USHORT, 12, (short) (4 * entries));
        b.set(NdisOidRequest.ULONG, 16, header);
        b.set(NdisOidRequest.USHORT, 20, (short) KEY.length);
        b.set(NdisOidRequest.ULONG, 24, header + 4 * entries);
        for (int i = 0; i < entries; i++) {
            b.set(ValueLayout.JAVA_BYTE, header + 4L * i + 2, (byte) (i % queues));   // PROCESSOR_NUMBER.Number
        }
        System.arraycopy(KEY, 0, out, header + 4 * entries, KEY.length);
        return out;
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
        return String.format("hash 0x%08x (%s)", (int) word, typeName(type));
    }

    private static String typeName(int type) {
        return switch (type) {
            case NdisRssHash.NDIS_HASH_IPV4 -> "IPv4";
            case NdisRssHash.NDIS_HASH_TCP_IPV4 -> "TCP/IPv4";
            case NdisRssHash.NDIS_HASH_UDP_IPV4 -> "UDP/IPv4";
            case NdisRssHash.NDIS_HASH_IPV6 -> "IPv6";
            case NdisRssHash.NDIS_HASH_TCP_IPV6 -> "TCP/IPv6";
            case NdisRssHash.NDIS_HASH_UDP_IPV6 -> "UDP/IPv6";
            case NdisRssHash.NDIS_HASH_IPV6_EX -> "IPv6 Ex";
            case NdisRssHash.NDIS_HASH_TCP_IPV6_EX -> "TCP/IPv6 Ex";
            case NdisRssHash.NDIS_HASH_UDP_IPV6_EX -> "UDP/IPv6 Ex";
            default -> String.format("type 0x%08X", type);
        };
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
