package io.nicup.ndis.miniport;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.protocol.FrameEdge;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * What the multi-queue tests of every Intel chip share (docs/ndis-contract.md §21): flows of TCP and UDP over
 * IPv4 and IPv6, and the check that each received frame carries the hash a software Toeplitz gives and came on
 * the queue the indirection table names for it.
 */
public final class ReceiveQueueSpread {

    private ReceiveQueueSpread() {
    }

    /** TCP and UDP over IPv4 and IPv6 from {@code peer} to {@code mac}, {@code flows} flows in all. */
    public static List<byte[]> flows(MacAddress mac, int flows) {
        List<byte[]> frames = new ArrayList<>();
        for (int seed = 0; seed < flows; seed++) {
            frames.add(IpFrames.frame(mac.bytes(), MockMiniportBench.PEER.bytes(), (seed & 1) != 0,
                    (seed & 2) != 0 ? IpFrames.UDP : IpFrames.TCP, 0, 40, seed, true));
        }
        return frames;
    }

    /**
     * Checks every frame {@code edge} received: its hash is {@code expected}'s (HashInfo and HashValue as
     * FrameEdge packs them) and its queue is the one {@code table} names for that hash. Returns the queues reached.
     */
    public static TreeSet<Integer> assertEachOnItsQueue(FrameEdge edge, int[] table, ToLongFunction<byte[]> expected) {
        List<byte[]> got = edge.received();
        List<Long> hashes = edge.receivedHashes();
        List<Integer> queues = edge.receivedQueues();
        TreeSet<Integer> reached = new TreeSet<>();
        for (int i = 0; i < got.size(); i++) {
            long want = expected.applyAsLong(got.get(i));
            assertThat(hashes.get(i)).as("frame %d hash", i).isEqualTo(want);
            int hash = (int) want;
            assertThat(queues.get(i)).as("frame %d: hash 0x%08x, entry %d", i, hash, hash & table.length - 1)
                    .isEqualTo(table[hash & table.length - 1]);
            reached.add(queues.get(i));
        }
        return reached;
    }
}
