package io.nicup.ndis.conformance;

import io.nicup.ndis.conformance.ChecksumFrames.Kind;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisRssHash;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.rss.Toeplitz;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How RSS spreads flows over the receive queues (docs/ndis-contract.md §21): frames of many flows go to the
 * NIC through the link partner (the simulated wire, or the reflector on real hardware); each must arrive
 * with the hash a software Toeplitz of its headers gives ({@link RssReference}) and on the queue the
 * indirection table names for that hash (NetBufferListInfo.RECEIVE_QUEUE). The {@code rss} conformance check
 * measures each of its phases with {@link #measure}; {@code nicup rss} runs {@link #run}.
 */
public final class RssSpread {

    /** One receive queue: frames it indicated, frames the reference sends to it, frames on it that belong elsewhere. */
    public record Queue(int queue, long frames, long expected, long mismatches) {
    }

    /**
     * What one batch of frames did.
     *
     * @param queues one row per queue the table uses, queue q at index q
     * @param sent frames given to the link partner
     * @param received frames indicated among them
     * @param wrongHash frames indicated with a hash or type other than the reference's
     * @param problems each frame not received, with a wrong hash or on a wrong queue, described
     */
    public record Spread(List<Queue> queues, int sent, int received, int wrongHash, List<String> problems) {

        /** Frames on a queue other than the one the table names. */
        public long wrongQueue() {
            return queues.stream().mapToLong(Queue::mismatches).sum();
        }

        /** Queues the reference names for at least one frame but that got none. */
        public List<Integer> unreached() {
            return queues.stream().filter(q -> q.expected() > 0 && q.frames() == 0).map(Queue::queue).toList();
        }

        /** Every frame arrived with the reference's hash on the queue the table names, and every named queue was reached. */
        public boolean passed() {
            return received == sent && wrongHash == 0 && wrongQueue() == 0 && unreached().isEmpty();
        }
    }

    /** {@code nicup rss} could not measure: no RSS announced, no way to bring frames, or a bad request. */
    public static final class NotMeasured extends RuntimeException {
        private final boolean unsupported;

        NotMeasured(String message, boolean unsupported) {
            super(message);
            this.unsupported = unsupported;
        }

        /** True when the NIC (or the set-up) cannot do it, false when the request was wrong. */
        public boolean unsupported() {
            return unsupported;
        }
    }

    /**
     * A {@code nicup rss} run.
     *
     * @param announced NumberOfReceiveQueues the adapter announced
     * @param flows the flows sent
     * @param spread what they did
     */
    public record Run(int announced, int flows, Spread spread) {
    }

    private static final int TOEPLITZ = NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ;

    private RssSpread() {
    }

    /**
     * Brings an adapter up on {@code target}, turns RSS on with Microsoft's verification key, every
     * announced hash type and a round-robin table over {@code queues} queues (0: every announced one), sends
     * one frame of each of {@code flows} TCP and UDP flows over IPv4 and IPv6, and measures the spread. The
     * adapter is halted afterwards.
     *
     * @throws NotMeasured when the adapter announces no RSS, more queues are asked for than it announces, or
     *     nothing can bring frames to it
     */
    public static Run run(ConformanceTarget target, int flows, int queues) {
        CheckContext c = new CheckContext(target);
        try {
            Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
            if (down.isPresent()) {
                throw new NotMeasured("adapter not running: " + down.get().detail(), true);
            }
            NdisReceiveScaleCapabilities caps = c.adapter().generalAttributes().recvScaleCapabilities();
            if (caps == null) {
                throw new NotMeasured("rss not announced: the adapter announces no receive-side scaling", true);
            }
            int announced = caps.numberOfReceiveQueues();
            if (queues > announced) {
                throw new NotMeasured("--queues " + queues + " is more than the adapter's " + announced
                        + " receive queues", false);
            }
            if (!c.partner().bringsFrames()) {
                throw new NotMeasured(LinkPartner.NEEDS_FRAMES, true);
            }
            int[] table = RssParameterSet.roundRobin(caps.maxIndirectionTableEntries(), queues == 0 ? announced : queues);
            int types = caps.supportedHashTypes();
            byte[] key = RssParameterSet.verificationKey();
            OidResult r = c.host().set(c.adapter(), Oid.GEN_RECEIVE_SCALE_PARAMETERS,
                    RssParameterSet.revision2(0, types | TOEPLITZ, table, key)).join();
            if (!r.succeeded()) {
                throw new NotMeasured("OID_GEN_RECEIVE_SCALE_PARAMETERS was refused: " + r, true);
            }
            return new Run(announced, flows, measure(c, flows(c, flows, 0), types, key, table));
        } finally {
            c.tearDown();
        }
    }

    /** One frame of each of {@code flows} flows (TCP and UDP over IPv4 and IPv6 in turn) towards the NIC. */
    static List<byte[]> flows(CheckContext c, int flows, int firstSeq) {
        List<byte[]> frames = new ArrayList<>();
        Kind[] kinds = Kind.values();
        for (int f = 0; f < flows; f++) {
            frames.add(ChecksumFrames.complete(kinds[f % kinds.length], c.mac(), CheckContext.PEER, 64,
                    firstSeq + 97 * (f / kinds.length) + f % kinds.length));
        }
        return frames;
    }

    /**
     * Sends {@code frames} through the partner and checks each received one's hash against the reference
     * under {@code types} and {@code key} and, when hashed, its queue against {@code table}.
     */
    static Spread measure(CheckContext c, List<byte[]> frames, int types, byte[] key, int[] table) {
        c.edge().clearReceived();
        int n = c.partner().toNic(c, frames);
        c.await(() -> c.edge().received().size() >= n, c.partner().arrival(Duration.ofSeconds(1)));
        List<byte[]> got = c.edge().received();
        List<Long> hashes = c.edge().receivedHashes();
        List<Integer> queues = c.edge().receivedQueues();
        int width = 1;
        for (int q : table) {
            width = Math.max(width, q + 1);
        }
        for (int q : queues) {
            width = Math.max(width, q + 1);                  // a queue the table never names still gets a row
        }
        long[] onQueue = new long[width];
        long[] expected = new long[width];
        long[] mismatched = new long[width];
        Toeplitz toeplitz = new Toeplitz(key);
        List<String> problems = new ArrayList<>();
        int received = 0;
        int wrongHash = 0;
        for (byte[] f : frames) {
            int at = -1;
            for (int i = 0; i < got.size() && at < 0; i++) {
                at = Frames.same(f, got.get(i)) ? i : -1;
            }
            long reference = RssReference.expected(f, types, toeplitz);
            int named = reference == 0 ? 0 : table[(int) reference & table.length - 1];
            expected[named]++;
            if (at < 0) {
                note(problems, RssReference.describe(f) + " was not received");
                continue;
            }
            received++;
            int queue = queues.get(at);
            onQueue[queue]++;
            if (hashes.get(at) != reference) {
                wrongHash++;
                note(problems, RssReference.describe(f) + " was indicated with " + RssReference.name(hashes.get(at))
                        + " where " + RssReference.name(reference) + " belongs");
            } else if (reference != 0 && queue != named) {
                mismatched[queue]++;
                note(problems, RssReference.describe(f) + " arrived on queue " + queue + " where entry "
                        + ((int) reference & table.length - 1) + " names queue " + named);
            }
        }
        List<Queue> rows = new ArrayList<>();
        for (int q = 0; q < width; q++) {
            rows.add(new Queue(q, onQueue[q], expected[q], mismatched[q]));
        }
        return new Spread(List.copyOf(rows), frames.size(), received, wrongHash, List.copyOf(problems));
    }

    private static void note(List<String> problems, String problem) {
        problems.add(problem);
    }
}
