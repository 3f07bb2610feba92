package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.ndis.trace.TimedRules;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Malformed sets, as HLK's 1c_NdisRequestCov sends them (docs/ndis-contract.md §6): truncated and random
 * data into the settable OIDs (the packet filter and the multicast list), and sets of the query-only OIDs the
 * adapter lists (addresses, list size, statistics): each refused without success, the
 * previous setting still answered by a query and still in effect on the wire, and the adapter still sending.
 * The data comes from a fixed seed, so every run sends the same.
 */
final class OidRobustnessCheck implements ConformanceCheck {

    static final MacAddress GROUP = MacAddress.parse("01:00:5e:00:00:01");
    private static final long SEED = 0x1C_4E15L;

    @Override
    public String name() {
        return "oid-robustness";
    }

    @Override
    public String mirrors() {
        return "HLK 1c_NdisRequestCov";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        OidResult list = FrameEdge.setMulticastList(c.host(), c.adapter(), List.of(GROUP));
        if (!list.succeeded()) {
            return CheckResult.fail("the multicast list [" + GROUP + "] was refused: " + list);
        }
        byte[] filterBefore = query(c, Oid.GEN_CURRENT_PACKET_FILTER);
        byte[] listBefore = query(c, Oid.OID_802_3_MULTICAST_LIST);
        List<String> accepted = new ArrayList<>();
        int sent = 0;
        for (Malformed m : malformed(c)) {
            Optional<OidResult> r = c.await(c.host().set(c.adapter(), m.oid, m.data), TimedRules.OID_COMPLETE
                    .plusSeconds(1));
            sent++;
            if (r.isEmpty()) {
                return CheckResult.fail(m + " not completed within 12 s");
            }
            if (r.get().status() == NdisStatus.SUCCESS) {
                accepted.add(m + " -> SUCCESS");
            }
        }
        for (int oid : queryOnlyListed(c)) {
            byte[] answer = query(c, oid);
            byte[] data = inverted(answer == null ? new byte[4] : answer);
            Optional<OidResult> r = c.await(c.host().set(c.adapter(), oid, data), TimedRules.OID_COMPLETE.plusSeconds(1));
            sent++;
            if (r.isEmpty()) {
                return CheckResult.fail("a set of query-only " + Oid.name(oid) + " not completed within 12 s");
            }
            if (r.get().status() == NdisStatus.SUCCESS) {
                accepted.add("a set of query-only " + Oid.name(oid) + " -> SUCCESS");
            } else if (oid != Oid.GEN_STATISTICS && !Arrays.equals(answer, query(c, oid))) {
                return CheckResult.fail("a refused set of query-only " + Oid.name(oid) + " changed its answer: "
                        + hex(answer) + " -> " + hex(query(c, oid)));
            }
        }
        if (!accepted.isEmpty()) {
            return CheckResult.fail(accepted.size() + " malformed set(s) succeeded: " + String.join("; ", accepted));
        }
        byte[] filterAfter = query(c, Oid.GEN_CURRENT_PACKET_FILTER);
        byte[] listAfter = query(c, Oid.OID_802_3_MULTICAST_LIST);
        if (!Arrays.equals(filterBefore, filterAfter) || !Arrays.equals(listBefore, listAfter)) {
            return CheckResult.fail("a refused set changed the setting: packet filter " + hex(filterBefore) + " -> "
                    + hex(filterAfter) + ", multicast list " + hex(listBefore) + " -> " + hex(listAfter));
        }
        Optional<String> traffic = stillWorks(c);
        if (traffic.isPresent()) {
            return CheckResult.fail("after " + sent + " refused sets: " + traffic.get());
        }
        return CheckResult.pass(sent + " truncated, random and query-only sets refused; packet filter " + hex(filterAfter)
                + " and multicast list kept" + (c.wire().isPresent() ? ", and still in effect on the wire" : "")
                + "; sends complete");
    }

    /**
     * The OIDs NDIS documents as query only that the adapter lists (docs/ndis-contract.md §15): a set of one
     * must fail (NOT_SUPPORTED or INVALID_OID) and change nothing. The statistics change with traffic, so only
     * the others are compared after the set.
     */
    private static final List<Integer> QUERY_ONLY = List.of(Oid.OID_802_3_PERMANENT_ADDRESS,
            Oid.OID_802_3_CURRENT_ADDRESS, Oid.OID_802_3_MAXIMUM_LIST_SIZE, Oid.GEN_STATISTICS);

    private static List<Integer> queryOnlyListed(CheckContext c) {
        return QueryOids.listed(c.adapter()).stream().filter(QUERY_ONLY::contains).toList();
    }

    /** Data shaped like the OID's answer and different in every byte. */
    private static byte[] inverted(byte[] answer) {
        byte[] data = answer.clone();
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ~data[i];
        }
        return data;
    }

    record Malformed(int oid, byte[] data, String what) {
        @Override
        public String toString() {
            return Oid.name(oid) + " " + what + " (" + data.length + " bytes)";
        }
    }

    /** Truncated filters, filters with unsupported bits, lists of a length no multiple of 6, too long a list. */
    static List<Malformed> malformed(CheckContext c) {
        Random random = new Random(SEED);
        int supported = c.adapter().generalAttributes().supportedPacketFilters();
        List<Malformed> out = new ArrayList<>();
        for (int length = 0; length < 4; length++) {
            out.add(new Malformed(Oid.GEN_CURRENT_PACKET_FILTER, bytes(random, length), "truncated"));
        }
        for (int i = 0; i < 8; i++) {
            int[] unsupported = java.util.stream.IntStream.range(0, 32).filter(b -> (supported >>> b & 1) == 0).toArray();
            int value = random.nextInt() & supported | 1 << unsupported[random.nextInt(unsupported.length)];
            out.add(new Malformed(Oid.GEN_CURRENT_PACKET_FILTER, ulong(value), String.format("filter 0x%08X", value)));
        }
        for (int length : new int[] {1, 5, 7, 11, 13, 17, 29}) {
            out.add(new Malformed(Oid.OID_802_3_MULTICAST_LIST, bytes(random, length), "length not a multiple of 6"));
        }
        int max = c.adapter().generalAttributes().maxMulticastListSize();
        byte[] tooMany = new byte[(max + 1) * MacAddress.LENGTH];
        for (int i = 0; i <= max; i++) {
            byte[] group = {0x01, 0x00, 0x5e, 0x00, (byte) (i >>> 8), (byte) i};
            System.arraycopy(group, 0, tooMany, i * MacAddress.LENGTH, MacAddress.LENGTH);
        }
        out.add(new Malformed(Oid.OID_802_3_MULTICAST_LIST, tooMany, (max + 1) + " entries, the adapter holds " + max));
        return out;
    }

    /** Directed and listed-multicast frames still arrive (simulated NIC), and sends complete with SUCCESS. */
    private static Optional<String> stillWorks(CheckContext c) {
        if (c.wire().isPresent()) {
            c.edge().clearReceived();
            c.wire().get().inject(Frames.frame(c.mac(), CheckContext.PEER, 128, 1));
            c.wire().get().inject(Frames.frame(GROUP, CheckContext.PEER, 128, 2));
            c.await(() -> c.edge().received().size() >= 2, java.time.Duration.ofMillis(100));
            List<Integer> seqs = c.edge().received().stream().map(Frames::seq).toList();
            if (!seqs.contains(1) || !seqs.contains(2)) {
                return Optional.of("of a directed (seq 1) and a listed multicast frame (seq 2) only " + seqs + " arrived");
            }
        }
        long okBefore = c.edge().completedOk();
        int n = c.send(Frames.frames(CheckContext.PEER, c.mac(), 8, 128, 100));
        c.await(() -> c.edge().completedOk() >= okBefore + n, java.time.Duration.ofSeconds(2));
        long ok = c.edge().completedOk() - okBefore;
        return ok == n ? Optional.empty() : Optional.of(ok + " of " + n + " sends completed with SUCCESS");
    }

    private static byte[] query(CheckContext c, int oid) {
        return c.await(c.host().query(c.adapter(), oid, QueryOids.BUFFER), TimedRules.OID_COMPLETE.plusSeconds(1))
                .filter(OidResult::succeeded)
                .map(r -> r.request().informationBuffer().asSlice(0, r.bytesWritten())
                        .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                .orElse(null);
    }

    private static byte[] bytes(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    private static byte[] ulong(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static String hex(byte[] b) {
        return b == null ? "(query failed)" : b.length == 0 ? "[]" : java.util.HexFormat.of().formatHex(b);
    }
}
