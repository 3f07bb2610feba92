package io.nicup.ndis.conformance;

import io.nicup.ndis.conformance.ChecksumFrames.Kind;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.rss.Toeplitz;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * HLK's 1c_Mini6RSSOids and 2c_Mini6RSSSendRecv, and Linux's toeplitz selftest, on an adapter that announces
 * receive-side scaling (docs/ndis-contract.md §10, §11): with Microsoft's verification key and every announced
 * hash type, frames of 8 TCP and 8 UDP flows over IPv4 and IPv6 and one non-IP frame must each be indicated
 * with the hash value and type the software Toeplitz ({@link Toeplitz}) computes from their headers, or none;
 * six invalid sets must be refused and leave that configuration in force; a second key with only the TCP types
 * must be followed (UDP then unhashed), and RSS disabled must leave every frame unhashed. With several receive
 * queues announced each hashed frame must also arrive on the queue the table names for its hash, and every queue
 * the table names for some frame must be reached ({@link RssSpread}, docs/ndis-contract.md §21).
 */
final class RssCheck implements ConformanceCheck {

    static final int FLOWS = 8;
    private static final int ALL_TYPES = NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_TCP_IPV4
            | NdisRssHash.NDIS_HASH_IPV6 | NdisRssHash.NDIS_HASH_IPV6_EX | NdisRssHash.NDIS_HASH_TCP_IPV6
            | NdisRssHash.NDIS_HASH_TCP_IPV6_EX | NdisRssHash.NDIS_HASH_UDP_IPV4 | NdisRssHash.NDIS_HASH_UDP_IPV6
            | NdisRssHash.NDIS_HASH_UDP_IPV6_EX;
    private static final int TOEPLITZ = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ;

    @Override
    public String name() {
        return "rss";
    }

    @Override
    public String mirrors() {
        return "HLK 1c_Mini6RSSOids, 2c_Mini6RSSSendRecv; Linux selftest toeplitz";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        NdisReceiveScaleCapabilities caps = c.adapter().generalAttributes().recvScaleCapabilities();
        if (caps == null) {
            return CheckResult.skipped("the adapter announces no receive-side scaling");
        }
        if (!c.partner().bringsFrames()) {
            return CheckResult.skipped(LinkPartner.NEEDS_FRAMES);
        }
        int types = caps.supportedHashTypes();
        int[] table = RssParameterSet.roundRobin(caps.maxIndirectionTableEntries(), caps.numberOfReceiveQueues());
        byte[] first = RssParameterSet.verificationKey();
        byte[] second = new byte[first.length];
        for (int i = 0; i < second.length; i++) {
            second[i] = (byte) (i * 37 + 11);
        }
        int tcpOnly = types & (NdisRssHash.NDIS_HASH_TCP_IPV4 | NdisRssHash.NDIS_HASH_TCP_IPV6);
        boolean spreads = caps.numberOfReceiveQueues() > 1;
        List<String> wrong = new ArrayList<>();
        int frames = 0;
        Optional<String> set = set(c, "Microsoft's key with every announced type",
                RssParameterSet.revision2(0, types | TOEPLITZ, table, first));
        if (set.isPresent()) {
            return CheckResult.fail(set.get());
        }
        frames += traffic(c, "Microsoft's key", types, first, table, spreads, wrong);
        Map<String, byte[]> invalid = invalidSets(caps, types, table, first);
        for (Map.Entry<String, byte[]> e : invalid.entrySet()) {
            OidResult r = c.host().set(c.adapter(), Oid.GEN_RECEIVE_SCALE_PARAMETERS, e.getValue()).join();
            if (r.succeeded()) {
                wrong.add("an invalid set (" + e.getKey() + ") was accepted");
            }
        }
        frames += traffic(c, "after the refused sets", types, first, table, spreads, wrong);
        if (tcpOnly != 0) {
            set = set(c, "a second key with the TCP types only",
                    RssParameterSet.revision2(0, tcpOnly | TOEPLITZ, table, second));
            if (set.isPresent()) {
                return CheckResult.fail(set.get());
            }
            frames += traffic(c, "a second key, TCP only", tcpOnly, second, table, spreads, wrong);
        }
        set = set(c, "RSS disabled", RssParameterSet.revision2(NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_DISABLE_RSS,
                0, table, first));
        if (set.isPresent()) {
            return CheckResult.fail(set.get());
        }
        frames += traffic(c, "RSS disabled", 0, first, table, spreads, wrong);
        if (!wrong.isEmpty()) {
            return CheckResult.fail(wrong.size() + " wrong: " + String.join("; ", wrong.subList(0, Math.min(4,
                    wrong.size()))) + (wrong.size() > 4 ? "; ..." : ""));
        }
        return CheckResult.pass(frames + " frames of " + FLOWS + " TCP and " + FLOWS + " UDP flows over IPv4 and IPv6"
                + " and a non-IP frame each carried the hash the software Toeplitz gives, or none where no type"
                + " applies (Microsoft's key with every announced type, again after " + invalid.size()
                + " invalid sets were refused" + (tcpOnly != 0 ? ", a second key with the TCP types only" : "")
                + ", RSS disabled); " + caps.numberOfReceiveQueues() + " receive queue"
                + (spreads ? "s announced: each hashed frame arrived on the queue its table entry names, every queue"
                        + " reached" : " announced: the spread over queues is not checked"));
    }

    private static Optional<String> set(CheckContext c, String what, byte[] parameters) {
        OidResult r = c.host().set(c.adapter(), Oid.GEN_RECEIVE_SCALE_PARAMETERS, parameters).join();
        return r.succeeded() ? Optional.empty()
                : Optional.of("OID_GEN_RECEIVE_SCALE_PARAMETERS (" + what + ") was refused: " + r);
    }

    /** Each set NDIS_RECEIVE_SCALE_PARAMETERS' rules forbid, by what is wrong with it. */
    private static Map<String, byte[]> invalidSets(NdisReceiveScaleCapabilities caps, int types, int[] table, byte[] key) {
        Map<String, byte[]> sets = new LinkedHashMap<>();
        sets.put("a 39-byte key", RssParameterSet.revision2(0, types | TOEPLITZ, table, Arrays.copyOf(key, 39)));
        sets.put("hash function 2", RssParameterSet.revision2(0, types | 2, table, key));
        sets.put("3 table entries", RssParameterSet.revision2(0, types | TOEPLITZ, new int[3], key));
        int[] beyond = table.clone();
        beyond[beyond.length - 1] = caps.numberOfReceiveQueues();
        sets.put("an entry naming queue " + caps.numberOfReceiveQueues(),
                RssParameterSet.revision2(0, types | TOEPLITZ, beyond, key));
        int unannounced = Integer.lowestOneBit(ALL_TYPES & ~types);
        if (unannounced != 0) {
            sets.put(String.format("hash type 0x%05X, not announced", unannounced),
                    RssParameterSet.revision2(0, types | unannounced | TOEPLITZ, table, key));
        }
        byte[] wrongType = RssParameterSet.revision2(0, types | TOEPLITZ, table, key);
        wrongType[0] = (byte) 0x80;
        sets.put("Header.Type 0x80", wrongType);
        return sets;
    }

    /**
     * The flows and a non-IP frame towards the NIC: each received one's hash against the reference and, with
     * several queues announced, its queue against the table ({@link RssSpread#measure}); every queue the
     * reference names must be reached.
     */
    private static int traffic(CheckContext c, String phase, int types, byte[] key, int[] table, boolean queues,
            List<String> wrong) {
        List<byte[]> frames = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (int f = 0; f < FLOWS; f++) {
                frames.add(ChecksumFrames.complete(k, c.mac(), CheckContext.PEER, 64, 43_000 + 97 * f + k.ordinal()));
            }
        }
        frames.add(Frames.frame(c.mac(), CheckContext.PEER, 120, 43_999));
        RssSpread.Spread spread = RssSpread.measure(c, frames, types, key, table);
        for (String p : spread.problems()) {
            if (queues || !p.contains(" arrived on queue ")) {
                wrong.add(phase + ": " + p);
            }
        }
        if (queues && types != 0 && spread.problems().isEmpty() && !spread.unreached().isEmpty()) {
            wrong.add(phase + ": queues " + spread.unreached() + " got no frame although the table names them for "
                    + "some of the " + frames.size() + " frames");
        }
        return frames.size();
    }
}
