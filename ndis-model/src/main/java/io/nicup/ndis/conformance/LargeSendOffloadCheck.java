package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.conformance.ChecksumFrames.Kind;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HLK's OffloadLSO, and Linux's tso selftest, over the LSOv2 the adapter has in force (docs/ndis-contract.md
 * §9, §11): for IPv4 and IPv6 where it is on, large sends handed over as Windows' TCP/IP does (IP length 0,
 * the pseudo-header sum without the TCP length) of 60000 payload bytes, of one byte more than the MSS and of
 * exactly three MSS; each must leave as the segments {@link LargeSendFrames#segments} computes, byte for byte
 * and each once, and complete with SUCCESS and its TCP payload bytes written back. Needs to see what left: a
 * simulated NIC's wire, or a reflector that brings every segment back.
 */
final class LargeSendOffloadCheck implements ConformanceCheck {

    static final int BIG = 60_000;

    @Override
    public String name() {
        return "large-send";
    }

    @Override
    public String mirrors() {
        return "HLK OffloadLSO; Linux selftest tso";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        NdisOffload current = c.adapter().currentOffload();
        List<Kind> kinds = new ArrayList<>();
        if (current != null && current.lsoV2().ipv4().maxOffLoadSize() > 0) {
            kinds.add(Kind.TCP4);
        }
        if (current != null && current.lsoV2().ipv6().maxOffLoadSize() > 0) {
            kinds.add(Kind.TCP6);
        }
        if (kinds.isEmpty()) {
            return CheckResult.skipped("the adapter has no LSOv2 in force (OID_TCP_OFFLOAD_CURRENT_CONFIG)");
        }
        LinkPartner partner = c.partner();
        if (!partner.bringsFrames()) {
            return CheckResult.skipped(LinkPartner.NEEDS_FRAMES);
        }
        partner.transmitted();
        c.edge().clearReceived();
        MacAddress dst = partner.reflects() ? c.mac() : CheckContext.PEER;
        NetBufferListPool pool = c.host().allocateSendPool(c.adapter(), 8, 65_600);
        List<byte[]> expected = new ArrayList<>();
        List<Integer> payloads = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        long okBefore = c.edge().completedOk();
        int completedBefore = c.edge().largeSendsCompleted().size();
        int sends = 0;
        StringBuilder summary = new StringBuilder();
        for (Kind k : kinds) {
            int mss = c.adapter().generalAttributes().mtuSize() - (k.l4() - ChecksumFrames.L3) - 20;
            int segments = expected.size();
            for (int payload : new int[] {BIG, mss + 1, 3 * mss}) {
                byte[] whole = ChecksumFrames.complete(k, dst, c.mac(), payload, 42_000 + sends);
                expected.addAll(LargeSendFrames.segments(whole, k, mss));
                payloads.add(payload);
                sends += FrameEdge.send(c.host(), c.adapter(), pool, List.of(LargeSendFrames.handedOver(whole, k)), 0,
                        NetBufferListInfo.lsoV2Transmit(mss, k.l4(), k.ipv6));
            }
            summary.append(summary.isEmpty() ? "" : "; ").append(k).append(": 3 large sends of ").append(BIG)
                    .append(", ").append(mss + 1).append(" and ").append(3 * mss).append(" payload bytes, MSS ")
                    .append(mss).append(", as ").append(expected.size() - segments).append(" segments");
        }
        if (sends != payloads.size()) {
            return CheckResult.fail("the send pool gave " + sends + " of " + payloads.size() + " NBLs");
        }
        int n = sends;
        c.await(() -> c.edge().completedOk() >= okBefore + n
                && (!partner.reflects() || c.edge().received().size() >= expected.size()),
                partner.arrival(Duration.ofSeconds(1)));
        List<Integer> written = c.edge().largeSendsCompleted();
        written = written.subList(Math.min(completedBefore, written.size()), written.size());
        if (c.edge().completedOk() - okBefore != n) {
            return CheckResult.fail("of " + n + " large sends " + (c.edge().completedOk() - okBefore)
                    + " completed with SUCCESS (" + (c.edge().completedFailed()) + " failed so far, last "
                    + NdisStatus.name(c.edge().lastFailureStatus()) + ")");
        }
        if (!written.equals(payloads)) {
            wrong.add("the completions wrote back " + written + " TCP payload bytes where " + payloads + " were sent");
        }
        List<byte[]> seen = partner.transmitted().orElseGet(() -> c.edge().received());
        int i = 0;
        for (byte[] e : expected) {
            long times = seen.stream().filter(s -> Frames.same(e, s)).count();
            if (times != 1) {
                wrong.add("segment " + i + " (" + e.length + " bytes, TCP sequence " + sequence(e) + ") "
                        + (times == 0 ? "did not leave as computed" + near(e, seen) : "left " + times + " times"));
            }
            i++;
        }
        if (seen.size() != expected.size()) {
            wrong.add((partner.reflects() ? "came back: " : "on the wire: ") + seen.size() + " frames where "
                    + expected.size() + " segments belong");
        }
        if (!wrong.isEmpty()) {
            return CheckResult.fail(wrong.size() + " wrong: " + String.join("; ", wrong.subList(0, Math.min(4,
                    wrong.size()))) + (wrong.size() > 4 ? "; ..." : ""));
        }
        return CheckResult.pass(summary + ": each segment left once, byte for byte"
                + (partner.reflects() ? " (seen as it came back from the reflector)" : "")
                + ", and each send completed with its payload bytes written back");
    }

    private static long sequence(byte[] f) {
        int l4 = f[12] == (byte) 0x86 ? ChecksumFrames.L3 + 40 : ChecksumFrames.L3 + 20;
        return ((f[l4 + 4] & 0xFFL) << 24) | ((f[l4 + 5] & 0xFF) << 16) | ((f[l4 + 6] & 0xFF) << 8) | (f[l4 + 7] & 0xFF);
    }

    /** The frame that left with the same sequence number, if any: what in it differs. */
    private static String near(byte[] e, List<byte[]> seen) {
        for (byte[] s : seen) {
            if (s.length >= e.length && sequence(s) == sequence(e) && s[12] == e[12]) {
                for (int b = 0; b < e.length; b++) {
                    if (s[b] != e[b]) {
                        return String.format(" (the one with its sequence number differs first at byte %d: 0x%02x where"
                                + " 0x%02x belongs)", b, s[b] & 0xFF, e[b] & 0xFF);
                    }
                }
            }
        }
        return " (no frame with its sequence number left)";
    }
}
