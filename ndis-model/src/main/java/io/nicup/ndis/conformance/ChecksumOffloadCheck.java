package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.conformance.ChecksumFrames.Kind;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * HLK's OffloadChecksum, and Linux's csum selftest, over the checksum offload the adapter has in force
 * (docs/ndis-contract.md §9, §11): for each of TCP and UDP over IPv4 and IPv6 that it declares for transmit,
 * frames handed over as Windows' TCP/IP does (the pseudo-header sum in the field, the IPv4 header checksum
 * zero when the NIC inserts it) must leave with every checksum right, byte for byte, and a frame sent without
 * a request must leave untouched; for each kind declared for receive, a frame with good checksums must be
 * indicated with the transport's checksum succeeded, and one with a bad transport (or IPv4 header) checksum
 * never as succeeded. Needs frames from outside: a simulated NIC's wire shows the sends and injects the
 * receives; a reflector brings the sends back, so what arrives is what left, and frames sent without a
 * request, with a wrong checksum, come back as the bad ones.
 */
final class ChecksumOffloadCheck implements ConformanceCheck {

    /** Transport payload sizes: one byte (an odd length), small, odd and mid-sized, and up to a 1514-byte frame. */
    static final int[] PAYLOADS = {1, 64, 333, -1};

    @Override
    public String name() {
        return "checksum-offload";
    }

    @Override
    public String mirrors() {
        return "HLK OffloadChecksum; Linux selftest csum";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        NdisOffload.Checksum declared = c.adapter().currentOffload() == null ? NdisOffload.Checksum.NONE
                : c.adapter().currentOffload().checksum();
        List<Kind> tx = List.of(Kind.values()).stream().filter(k -> k.declaredIn(k.direction(declared, true))).toList();
        List<Kind> rx = List.of(Kind.values()).stream().filter(k -> k.declaredIn(k.direction(declared, false))).toList();
        if (tx.isEmpty() && rx.isEmpty()) {
            return CheckResult.skipped("the adapter has no TCP or UDP checksum offload in force"
                    + " (OID_TCP_OFFLOAD_CURRENT_CONFIG)");
        }
        LinkPartner partner = c.partner();
        if (!partner.bringsFrames()) {
            return CheckResult.skipped(LinkPartner.NEEDS_FRAMES);
        }
        partner.transmitted();
        c.edge().clearReceived();
        List<String> wrong = new ArrayList<>();
        Optional<String> sent = transmit(c, declared, tx, wrong);
        if (sent.isPresent()) {
            return CheckResult.fail(sent.get());
        }
        int verdicts = receive(c, declared, rx, wrong);
        if (!wrong.isEmpty()) {
            return CheckResult.fail(wrong.size() + " wrong: " + String.join("; ", wrong.subList(0, Math.min(4,
                    wrong.size()))) + (wrong.size() > 4 ? "; ..." : ""));
        }
        return CheckResult.pass("transmit " + (tx.isEmpty() ? "none declared" : tx + ": " + tx.size() * PAYLOADS.length
                + " frames left with every checksum right and " + tx.size() + " without a request untouched")
                + (partner.reflects() ? " (seen as they came back from the reflector)" : "") + "; receive "
                + (rx.isEmpty() ? "none declared" : rx + ": " + verdicts + " verdicts right"));
    }

    /** Each declared kind with the NIC inserting the sums, and once without a request; what the wire showed. */
    private static Optional<String> transmit(CheckContext c, NdisOffload.Checksum declared, List<Kind> kinds,
            List<String> wrong) {
        if (kinds.isEmpty()) {
            return Optional.empty();
        }
        LinkPartner partner = c.partner();
        MacAddress dst = partner.reflects() ? c.mac() : CheckContext.PEER;
        NetBufferListPool pool = c.host().allocateSendPool(c.adapter(), 64, 2048);
        List<byte[]> expected = new ArrayList<>();
        long okBefore = c.edge().completedOk();
        int handed = 0;
        for (Kind k : kinds) {
            boolean ipByNic = !k.ipv6 && k.direction(declared, true).ipChecksum();
            List<byte[]> given = new ArrayList<>();
            for (int p : PAYLOADS) {
                byte[] whole = ChecksumFrames.complete(k, dst, c.mac(), p < 0 ? maxPayload(k) : p, 40_000 + expected.size());
                expected.add(whole);
                given.add(ChecksumFrames.handedOver(whole, k, ipByNic));
            }
            handed += FrameEdge.send(c.host(), c.adapter(), pool, given, k.request(ipByNic), 0);
            byte[] plain = ChecksumFrames.complete(k, dst, c.mac(), 100, 40_000 + expected.size());
            expected.add(plain);
            handed += FrameEdge.send(c.host(), c.adapter(), pool, List.of(plain));
        }
        if (handed != expected.size()) {
            return Optional.of("the send pool gave " + handed + " of " + expected.size() + " NBLs");
        }
        int sends = handed;
        boolean done = c.await(() -> c.edge().completedOk() >= okBefore + sends
                && (!partner.reflects() || c.edge().received().size() >= sends), partner.arrival(Duration.ofSeconds(1)));
        if (c.edge().completedOk() < okBefore + sends) {
            return Optional.of("of " + sends + " checksum-offload sends " + (c.edge().completedOk() - okBefore)
                    + " completed with SUCCESS" + (done ? "" : " within the wait"));
        }
        List<byte[]> seen = partner.transmitted().orElseGet(() -> c.edge().received());
        for (int i = 0; i < expected.size(); i++) {
            byte[] e = expected.get(i);
            if (seen.stream().noneMatch(s -> Frames.same(e, s))) {
                Kind k = kinds.get(i / (PAYLOADS.length + 1));
                boolean requested = i % (PAYLOADS.length + 1) < PAYLOADS.length;
                wrong.add(k + " frame of " + e.length + " bytes " + (requested
                        ? "handed over for checksum offload did not leave with every checksum right"
                        : "sent without a request did not leave exactly as given") + describe(e, k, seen));
            }
        }
        return Optional.empty();
    }

    /** Good and bad frames of each kind declared for receive; returns how many verdicts were looked at. */
    private static int receive(CheckContext c, NdisOffload.Checksum declared, List<Kind> kinds, List<String> wrong) {
        if (kinds.isEmpty()) {
            return 0;
        }
        c.edge().clearReceived();
        List<byte[]> frames = new ArrayList<>();
        List<Integer> mustNot = new ArrayList<>();
        List<Integer> must = new ArrayList<>();
        List<Kind> kindOf = new ArrayList<>();
        for (Kind k : kinds) {
            byte[] good = ChecksumFrames.complete(k, c.mac(), CheckContext.PEER, 200, 41_000 + frames.size());
            frames.add(good);
            must.add(k.succeeded());
            mustNot.add(k.failed() | NetBufferListInfo.RX_IP_CHECKSUM_FAILED);
            frames.add(ChecksumFrames.corrupt(good, k.l4ChecksumAt()));
            must.add(0);
            mustNot.add(k.succeeded());
            if (!k.ipv6 && k.direction(declared, false).ipChecksum()) {
                frames.add(ChecksumFrames.corrupt(good, ChecksumFrames.L3 + 10));
                must.add(0);
                mustNot.add(NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED);
            }
            while (kindOf.size() < frames.size()) {
                kindOf.add(k);
            }
        }
        int n = c.partner().toNic(c, frames);
        c.await(() -> c.edge().received().size() >= n, c.partner().arrival(Duration.ofSeconds(1)));
        List<byte[]> got = c.edge().received();
        List<Integer> verdicts = c.edge().receivedChecksums();
        int looked = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            int at = indexOf(got, f);
            String what = kindOf.get(i) + " frame " + (must.get(i) != 0 ? "with good checksums" : "with a bad "
                    + (mustNot.get(i) == NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED ? "IPv4 header" : "transport")
                    + " checksum");
            if (at < 0) {
                if (must.get(i) != 0) {
                    wrong.add(what + " was not received");
                }
                continue;                                    // a NIC may drop a frame it found bad
            }
            looked++;
            int v = verdicts.get(at);
            if ((v & must.get(i)) != must.get(i) || (v & mustNot.get(i)) != 0) {
                wrong.add(what + " was indicated with " + verdict(v));
            }
        }
        return looked;
    }

    /** The receive flags of NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO by their ndis.h names. */
    static String verdict(int v) {
        List<String> set = new ArrayList<>();
        String[] names = {"TcpChecksumFailed", "UdpChecksumFailed", "IpChecksumFailed", "TcpChecksumSucceeded",
            "UdpChecksumSucceeded", "IpChecksumSucceeded"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((v & 1 << bit) != 0) {
                set.add(names[bit]);
            }
        }
        return set.isEmpty() ? "no verdict" : String.join("|", set);
    }

    private static int indexOf(List<byte[]> got, byte[] f) {
        for (int i = 0; i < got.size(); i++) {
            if (Frames.same(f, got.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** What left in its place (the frame with the same transport payload): which of its checksums are wrong. */
    private static String describe(byte[] expected, Kind k, List<byte[]> seen) {
        int payload = k.l4() + (k.protocol == ChecksumFrames.TCP ? 20 : 8);
        for (byte[] s : seen) {
            if (s.length >= expected.length && Arrays.equals(expected, payload, expected.length, s, payload, expected.length)
                    && Arrays.equals(expected, 0, 12, s, 0, 12)) {
                List<String> bad = new ArrayList<>();
                if (!k.ipv6 && word(s, ChecksumFrames.L3 + 10) != word(expected, ChecksumFrames.L3 + 10)) {
                    bad.add(String.format("the IPv4 header checksum 0x%04x where 0x%04x belongs",
                            word(s, ChecksumFrames.L3 + 10), word(expected, ChecksumFrames.L3 + 10)));
                }
                if (word(s, k.l4ChecksumAt()) != word(expected, k.l4ChecksumAt())) {
                    bad.add(String.format("the %s checksum 0x%04x where 0x%04x belongs",
                            k.protocol == ChecksumFrames.TCP ? "TCP" : "UDP", word(s, k.l4ChecksumAt()),
                            word(expected, k.l4ChecksumAt())));
                }
                return bad.isEmpty() ? " (it left with other bytes changed)" : " (it left with " + String.join(" and ", bad) + ")";
            }
        }
        return " (no frame with its payload left)";
    }

    private static int word(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }

    /** The payload that fills a 1514-byte frame. */
    private static int maxPayload(Kind k) {
        return 1514 - k.l4() - (k.protocol == ChecksumFrames.TCP ? 20 : 8);
    }
}
