package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HLK's 2c_Priority as far as these miniports go: IEEE 802.1Q-tagged frames of every priority (PCP 0-7),
 * directed, to a listed multicast group and broadcast, sent and received. Each must cross byte for byte with
 * its tag. The tag travels in the frame: the miniports do not advertise NDIS_MAC_OPTION_8021P_PRIORITY, so
 * NDIS' out-of-band 802.1Q information is not what is checked. Needs frames from outside (docs/ndis-contract.md
 * §18): a simulated NIC's wire, which also shows the sends with their tags; or a reflector, which brings back
 * the frames the NIC sent, so a tag that survives the round trip was sent and received with it.
 */
final class PriorityCheck implements ConformanceCheck {

    static final MacAddress GROUP = MacAddress.parse("01:00:5e:00:00:07");
    static final int TPID = 0x8100;
    static final int VLAN = 5;

    @Override
    public String name() {
        return "priority";
    }

    @Override
    public String mirrors() {
        return "HLK 2c_Priority (802.1p tag in the frame)";
    }

    @Override
    public CheckResult run(CheckContext c) {
        LinkPartner partner = c.partner();
        if (!partner.bringsFrames()) {
            return CheckResult.skipped(LinkPartner.NEEDS_FRAMES);
        }
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        if (!FrameEdge.setMulticastList(c.host(), c.adapter(), List.of(GROUP)).succeeded()) {
            return CheckResult.fail("the multicast list [" + GROUP + "] was refused");
        }
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> injected = new ArrayList<>();
        for (int pcp = 0; pcp < 8; pcp++) {
            for (MacAddress peer : List.of(CheckContext.PEER, GROUP, Frames.BROADCAST)) {
                sent.add(tagged(peer, c.mac(), pcp, 30_000 + sent.size()));
                MacAddress toUs = peer.equals(CheckContext.PEER) ? c.mac() : peer;
                injected.add(tagged(toUs, CheckContext.PEER, pcp, 31_000 + injected.size()));
            }
        }
        partner.transmitted();
        c.edge().clearReceived();
        long okBefore = c.edge().completedOk();
        int n = c.send(sent);
        int m = partner.toNic(c, injected);
        // a reflector also brings back the sends to the group and to broadcast, which the filter admits
        List<byte[]> back = partner.reflects()
                ? sent.stream().filter(f -> !CheckContext.PEER.equals(destination(f))).toList() : List.of();
        long sends = n + (partner.reflects() ? m : 0);
        int arrivals = injected.size() + back.size();
        c.await(() -> c.edge().completedOk() >= okBefore + sends && c.edge().received().size() >= arrivals,
                partner.arrival(Duration.ofSeconds(1)));
        List<String> wrong = new ArrayList<>();
        List<byte[]> got = c.edge().received();
        Optional<List<byte[]>> onWire = partner.transmitted();
        if (onWire.isPresent()) {
            for (byte[] s : sent) {
                if (onWire.get().stream().noneMatch(w -> Frames.same(s, w))) {
                    wrong.add("sent " + describe(s) + " did not reach the wire with its tag");
                }
            }
        }
        for (byte[] b : back) {
            if (got.stream().noneMatch(g -> Frames.same(b, g))) {
                wrong.add("sent " + describe(b) + " did not come back from the reflector with its tag");
            }
        }
        for (byte[] i : injected) {
            if (got.stream().noneMatch(g -> Frames.same(i, g))) {
                wrong.add((partner.reflects() ? "reflected " : "injected ") + describe(i)
                        + " was not received with its tag");
            }
        }
        int checked = (onWire.isPresent() ? sent.size() : back.size()) + injected.size();
        if (!wrong.isEmpty()) {
            return CheckResult.fail(wrong.size() + " of " + checked + " tagged frames lost their"
                    + " tag or did not cross: " + String.join("; ", wrong.subList(0, Math.min(4, wrong.size())))
                    + (wrong.size() > 4 ? "; ..." : ""));
        }
        if (partner.reflects()) {
            return CheckResult.pass((sent.size() + injected.size()) + " tagged frames sent and " + arrivals
                    + " came back from the reflector (all but those to the peer), PCP 0-7 x directed, multicast and"
                    + " broadcast, VLAN " + VLAN + ": each crossed byte for byte with its tag");
        }
        return CheckResult.pass(sent.size() + " tagged frames sent and " + injected.size() + " received, PCP 0-7 x"
                + " directed, multicast and broadcast, VLAN " + VLAN + ": each crossed byte for byte with its tag");
    }

    private static MacAddress destination(byte[] f) {
        return MacAddress.of(java.util.Arrays.copyOfRange(f, 0, 6));
    }

    /** An 802.1Q-tagged frame: TPID 0x8100, TCI = PCP, DEI 0, VLAN ID, then the experimental ethertype. */
    static byte[] tagged(MacAddress dst, MacAddress src, int pcp, int seq) {
        byte[] plain = Frames.frame(dst, src, 124, seq);
        byte[] f = new byte[plain.length + 4];
        System.arraycopy(plain, 0, f, 0, 12);
        int tci = pcp << 13 | VLAN;
        f[12] = (byte) (TPID >>> 8);
        f[13] = (byte) TPID;
        f[14] = (byte) (tci >>> 8);
        f[15] = (byte) tci;
        System.arraycopy(plain, 12, f, 16, plain.length - 12);
        return f;
    }

    private static String describe(byte[] f) {
        int pcp = (f[14] & 0xFF) >>> 5;
        return "PCP " + pcp + " to " + destination(f);
    }
}
