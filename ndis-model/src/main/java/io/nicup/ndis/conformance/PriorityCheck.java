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
 * NDIS' out-of-band 802.1Q information is not what is checked. Needs a wire to see the tags: a simulated NIC.
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
        if (c.wire().isEmpty()) {
            return CheckResult.skipped("needs a wire to see the tags: a simulated NIC (or a capturing peer)");
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
        SimulatedWire wire = c.wire().get();
        wire.takeTransmitted();
        c.edge().clearReceived();
        long okBefore = c.edge().completedOk();
        int n = c.send(sent);
        injected.forEach(wire::inject);
        c.await(() -> c.edge().completedOk() >= okBefore + n && c.edge().received().size() >= injected.size(),
                Duration.ofSeconds(1));
        List<byte[]> onWire = wire.takeTransmitted();
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            byte[] s = sent.get(i);
            if (onWire.stream().noneMatch(w -> Frames.same(s, w))) {
                wrong.add("sent " + describe(s) + " did not reach the wire with its tag");
            }
        }
        List<byte[]> got = c.edge().received();
        for (byte[] i : injected) {
            if (got.stream().noneMatch(g -> Frames.same(i, g))) {
                wrong.add("injected " + describe(i) + " was not received with its tag");
            }
        }
        if (!wrong.isEmpty()) {
            return CheckResult.fail(wrong.size() + " of " + (sent.size() + injected.size()) + " tagged frames lost their"
                    + " tag or did not cross: " + String.join("; ", wrong.subList(0, Math.min(4, wrong.size())))
                    + (wrong.size() > 4 ? "; ..." : ""));
        }
        return CheckResult.pass(sent.size() + " tagged frames sent and " + injected.size() + " received, PCP 0-7 x"
                + " directed, multicast and broadcast, VLAN " + VLAN + ": each crossed byte for byte with its tag");
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
        MacAddress dst = MacAddress.of(java.util.Arrays.copyOfRange(f, 0, 6));
        return "PCP " + pcp + " to " + dst;
    }
}
