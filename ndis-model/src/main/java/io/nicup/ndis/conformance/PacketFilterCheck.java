package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * HLK's PacketFilters (docs/ndis-contract.md §6, §15): every combination of the packet filters the adapter
 * supports against five kinds of frames from the wire: directed to the adapter, directed elsewhere, to a
 * group on the multicast list, to a group not on it, and broadcast. What the filter admits must arrive
 * byte for byte, what it does not must not. Needs frames from outside (docs/ndis-contract.md §18): a simulated
 * NIC's wire injects them; on real hardware the NIC sends them itself with source {@link CheckContext#PEER}
 * and a reflector at the far end brings them back, so the NIC's own filter decides what it indicates. Each
 * combination's frames carry their own sequence numbers, so a reflection late from the previous one is not
 * taken for this one's.
 */
final class PacketFilterCheck implements ConformanceCheck {

    static final MacAddress LISTED = MacAddress.parse("01:00:5e:00:00:01");
    static final MacAddress UNLISTED = MacAddress.parse("01:00:5e:7f:00:02");
    static final MacAddress ELSEWHERE = MacAddress.parse("02:00:00:00:00:99");

    /** The kinds of traffic, in the order their frames are injected (the sequence number is the index). */
    enum Kind {
        DIRECTED, OTHER_UNICAST, LISTED_MULTICAST, UNLISTED_MULTICAST, BROADCAST;

        /** Whether a NIC with {@code filter} indicates this kind (WDD oid-gen-current-packet-filter). */
        boolean admittedBy(int filter) {
            if ((filter & NdisPacketFilter.PROMISCUOUS) != 0) {
                return true;
            }
            return switch (this) {
                case DIRECTED -> (filter & NdisPacketFilter.DIRECTED) != 0;
                case OTHER_UNICAST -> false;
                case LISTED_MULTICAST -> (filter & (NdisPacketFilter.MULTICAST | NdisPacketFilter.ALL_MULTICAST)) != 0;
                case UNLISTED_MULTICAST -> (filter & NdisPacketFilter.ALL_MULTICAST) != 0;
                case BROADCAST -> (filter & NdisPacketFilter.BROADCAST) != 0;
            };
        }

        MacAddress destination(MacAddress own) {
            return switch (this) {
                case DIRECTED -> own;
                case OTHER_UNICAST -> ELSEWHERE;
                case LISTED_MULTICAST -> LISTED;
                case UNLISTED_MULTICAST -> UNLISTED;
                case BROADCAST -> Frames.BROADCAST;
            };
        }
    }

    @Override
    public String name() {
        return "packet-filters";
    }

    @Override
    public String mirrors() {
        return "HLK PacketFilters";
    }

    @Override
    public CheckResult run(CheckContext c) {
        if (!c.partner().bringsFrames()) {
            return CheckResult.skipped(LinkPartner.NEEDS_FRAMES);
        }
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        OidResult list = FrameEdge.setMulticastList(c.host(), c.adapter(), List.of(LISTED));
        if (!list.succeeded()) {
            return CheckResult.fail("the multicast list [" + LISTED + "] was refused: " + list);
        }
        int supported = c.adapter().generalAttributes().supportedPacketFilters() & NdisPacketFilter.ALL_KNOWN;
        List<String> wrong = new ArrayList<>();
        int combinations = 0;
        for (int filter = 0; filter <= NdisPacketFilter.ALL_KNOWN; filter++) {
            if ((filter & ~supported) != 0) {
                continue;
            }
            OidResult set = FrameEdge.setPacketFilter(c.host(), c.adapter(), filter);
            if (!set.succeeded()) {
                wrong.add(String.format("filter 0x%02X refused: %s", filter, set));
                continue;
            }
            wrong.addAll(exchange(c, filter, combinations++));
        }
        if (!wrong.isEmpty()) {
            return CheckResult.fail(wrong.size() + " of " + combinations * Kind.values().length + " wrong: "
                    + String.join("; ", wrong.subList(0, Math.min(6, wrong.size())))
                    + (wrong.size() > 6 ? "; ..." : ""));
        }
        return CheckResult.pass(combinations + " filter combinations x " + Kind.values().length
                + " kinds of frames: each admitted frame arrived intact, no other did");
    }

    /**
     * One frame of each kind from outside, numbered from {@code 8 * index}; what arrived wrongly or did not
     * arrive.
     */
    private static List<String> exchange(CheckContext c, int filter, int index) {
        c.edge().clearReceived();
        long before = c.edge().receivedCount();
        int base = 8 * index;
        List<byte[]> injected = new ArrayList<>();
        for (Kind k : Kind.values()) {
            injected.add(Frames.frame(k.destination(c.mac()), CheckContext.PEER, 96, base + k.ordinal()));
        }
        LinkPartner partner = c.partner();
        partner.toNic(c, injected);
        long admitted = java.util.Arrays.stream(Kind.values()).filter(k -> k.admittedBy(filter)).count();
        c.await(() -> c.edge().receivedCount() - before >= admitted, partner.arrival(Duration.ofMillis(20)));
        c.pump(partner.quiet(Duration.ofMillis(2)));         // let a frame that must not arrive show itself
        Set<Integer> arrived = new TreeSet<>();
        List<String> wrong = new ArrayList<>();
        for (byte[] r : c.edge().received()) {
            int seq = Frames.seq(r) - base;
            if (seq < 0 || seq >= injected.size()) {
                continue;
            }
            if (!Frames.same(injected.get(seq), r)) {
                wrong.add(String.format("filter 0x%02X: %s frame arrived changed", filter, Kind.values()[seq]));
            }
            arrived.add(seq);
        }
        for (Kind k : Kind.values()) {
            boolean came = arrived.contains(k.ordinal());
            if (came != k.admittedBy(filter)) {
                wrong.add(String.format("filter 0x%02X: %s frame %s", filter, k, came ? "arrived" : "did not arrive"));
            }
        }
        return wrong;
    }
}
