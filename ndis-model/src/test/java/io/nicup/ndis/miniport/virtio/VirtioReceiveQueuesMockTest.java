package io.nicup.ndis.miniport.virtio;

import static io.nicup.ndis.miniport.virtio.VirtioReceiveScaleMockTest.ALL_TYPES;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveScaleMockTest.KEY;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveScaleMockTest.TOEPLITZ;
import static io.nicup.ndis.miniport.virtio.VirtioReceiveScaleMockTest.expected;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.mock.virtio.VirtioNetModel;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.rss.RssParameterSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Several receive queues on virtio-net (docs/ndis-contract.md §21, docs/hardware-reference.md C.10): as many as
 * max_virtqueue_pairs, the RSS keywords and the MSI-X vectors allow, each with its own virtqueue, vector and
 * DPC; a frame arrives on the queue its hash's indirection-table entry names, with that queue's number in its
 * NBL; polling runs one; turning RSS off sends VQ_PAIRS_SET 1.
 */
class VirtioReceiveQueuesMockTest {

    static String spec(int pairs) {
        return "mock:virtio-net?rss=on&queues=" + pairs;
    }

    /** TCP and UDP over IPv4 and IPv6, {@code flows} flows each. */
    static List<byte[]> flows(int flows) {
        List<byte[]> frames = new ArrayList<>();
        for (int seed = 0; seed < flows; seed++) {
            frames.add(IpFrames.frame(VirtioBench.MAC.bytes(), VirtioBench.PEER.bytes(), (seed & 1) != 0,
                    (seed & 2) != 0 ? IpFrames.UDP : IpFrames.TCP, 0, 40, seed, true));
        }
        return frames;
    }

    static int set(VirtioBench b, int[] table) {
        return b.host.set(b.adapter, Oid.GEN_RECEIVE_SCALE_PARAMETERS,
                RssParameterSet.revision2(0, TOEPLITZ | ALL_TYPES, table, KEY)).join().status();
    }

    private static NdisReceiveScaleCapabilities capabilities(VirtioBench b) {
        return b.adapter.generalAttributes().recvScaleCapabilities();
    }

    /** Every received frame carries the software Toeplitz hash and the queue {@code table} names for it. */
    static TreeSet<Integer> assertEachOnItsQueue(VirtioBench b, int[] table) {
        List<byte[]> got = b.edge.received();
        List<Long> hashes = b.edge.receivedHashes();
        List<Integer> queues = b.edge.receivedQueues();
        TreeSet<Integer> reached = new TreeSet<>();
        for (int i = 0; i < got.size(); i++) {
            long want = expected(ALL_TYPES, got.get(i));
            assertThat(hashes.get(i)).as("frame %d hash", i).isEqualTo(want);
            int hash = (int) want;
            assertThat(queues.get(i)).as("frame %d: hash 0x%08x, entry %d", i, hash, hash & table.length - 1)
                    .isEqualTo(table[hash & table.length - 1]);
            reached.add(queues.get(i));
        }
        return reached;
    }

    private static Integer[] upTo(int n) {
        Integer[] q = new Integer[n];
        for (int i = 0; i < n; i++) {
            q[i] = i;
        }
        return q;
    }

    @Test
    void withOneTwoAndFourPairsFlowsSpreadOverEveryQueueThroughTheWholeLifecycle() {
        for (int pairs : new int[] {1, 2, 4}) {
            try (VirtioBench b = new VirtioBench(spec(pairs))) {
                b.running();
                assertThat(b.model().driverFeatures() & (1L << 22)).as("MQ negotiated when offered")
                        .isEqualTo(pairs > 1 ? 1L << 22 : 0);
                assertThat(capabilities(b).numberOfReceiveQueues()).as("%d pairs", pairs).isEqualTo(pairs);
                assertThat(capabilities(b).numberOfInterruptMessages()).isEqualTo(pairs);
                int[] table = RssParameterSet.roundRobin(128, pairs);
                assertThat(set(b, table)).isEqualTo(NdisStatus.SUCCESS);
                assertThat(b.model().rssIndirectionTable()).as("processor n is receiveq n+1").isEqualTo(table);
                assertThat(b.model().queuePairsInUse()).as("max_tx_vq").isEqualTo(pairs);
                List<byte[]> frames = flows(64);
                b.injectAndIndicate(frames);
                assertThat(assertEachOnItsQueue(b, table)).containsExactly(upTo(pairs));
                long[] perQueue = b.edge.queueFrames();
                for (int k = 0; k < pairs; k++) {
                    assertThat(b.model().receivedOnQueue(k)).as("queue %d: the device's count", k)
                            .isEqualTo(perQueue[k]);
                    assertThat(b.nic().queues.rxQueues[k].frames).as("queue %d: the driver's count", k)
                            .isEqualTo(perQueue[k]);
                    int vector = VirtioQueues.rxVector(k);
                    assertThat(b.nic().interrupts.observedVectors & 1L << vector).as("queue %d's vector %d ran", k,
                            vector).isNotZero();
                }
                assertThat(Arrays.stream(perQueue).sum()).isEqualTo(frames.size());
                assertThat(b.statistics().ifHCInUcastPkts()).as("statistics count every queue")
                        .isEqualTo(frames.size());
                for (int round = 0; round < 6; round++) {          // 768 frames: every ring wraps
                    b.injectAndIndicate(flows(128));
                    assertThat(assertEachOnItsQueue(b, table)).as("round %d", round).containsExactly(upTo(pairs));
                }
                assertThat(b.host.pause(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
                b.halt();
                assertThat(b.host.verifier().violations()).isEmpty();
            }
        }
    }

    @Test
    void theQueueSelfTestAndTheRegisterDumpShowEveryQueue() {
        try (VirtioBench b = new VirtioBench(spec(2))) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            assertThat(b.diagnostics().queueTest().reason()).isEqualTo("receiveq1 size=256, transmitq1 size=256,"
                    + " receiveq2 size=256, transmitq2 size=16, controlq size=4 enabled at the programmed addresses");
            assertThat(b.diagnostics().registerDump()).extracting(r -> r.name() + "=" + r.decoded()).contains(
                    "max_virtqueue_pairs=2 pairs; 2 receive queues in use", "q4.queue_size=controlq",
                    "q2.queue_size=receiveq2");
        }
    }

    @Test
    void aResetSetsEveryQueueUpAgainAndFramesStillSpread() {
        try (VirtioBench b = new VirtioBench(spec(4))) {
            b.running();
            int[] table = RssParameterSet.roundRobin(128, 4);
            set(b, table);
            b.injectAndIndicate(flows(64));
            assertThat(b.host.reset(b.adapter)).isIn(NdisStatus.SUCCESS, NdisStatus.PENDING);
            b.host.idle(Duration.ofSeconds(1));
            assertThat(b.model().counter(VirtioNetModel.Counter.RESETS)).isGreaterThanOrEqualTo(2);
            assertThat(b.model().queuePairsInUse()).as("RSS_CONFIG sent again").isEqualTo(4);
            b.injectAndIndicate(flows(64));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void theKeywordsCutTheQueuesAndPollingRunsOne() {
        try (VirtioBench b = new VirtioBench(spec(4), "[*]\n*NumRssQueues=2\n")) {
            b.running();
            assertThat(capabilities(b).numberOfReceiveQueues()).isEqualTo(2);
            assertThat(b.model().queueEnabled(4)).as("receiveq3 not run").isFalse();
            assertThat(b.model().queueEnabled(3)).as("transmitq2 set up").isTrue();
            assertThat(b.model().queueEnabled(8)).as("the control queue at 2 * max_virtqueue_pairs").isTrue();
            int[] table = RssParameterSet.roundRobin(128, 2);
            assertThat(set(b, table)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.model().queuePairsInUse()).isEqualTo(2);
            b.injectAndIndicate(flows(64));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1);
        }
        try (VirtioBench b = new VirtioBench(spec(4), "[*]\nInterruptMode=4\n")) {
            b.running();
            assertThat(capabilities(b).numberOfReceiveQueues()).as("polling: one queue, announced as one")
                    .isEqualTo(1);
            assertThat(set(b, RssParameterSet.roundRobin(128, 2))).as("queue 1 was not announced")
                    .isNotEqualTo(NdisStatus.SUCCESS);
            int[] table = new int[128];
            assertThat(set(b, table)).isEqualTo(NdisStatus.SUCCESS);
            b.injectAndIndicate(flows(32));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0);
        }
    }

    @Test
    void refusedSetsKeepTheQueuesAndTurningRssOffSendsVqPairsSetOne() {
        try (VirtioBench b = new VirtioBench(spec(4) + "&fault=rss-table-limit")) {
            b.running();
            int[] table = RssParameterSet.roundRobin(16, 4);
            assertThat(set(b, table)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(set(b, RssParameterSet.roundRobin(128, 5))).as("queue 4 was not announced")
                    .isNotEqualTo(NdisStatus.SUCCESS);
            assertThat(set(b, RssParameterSet.roundRobin(64, 2))).as("valid for NDIS, refused by the device")
                    .isEqualTo(NdisStatus.FAILURE);
            assertThat(b.model().rssIndirectionTable()).as("the previous table sent back").isEqualTo(table);
            assertThat(b.model().queuePairsInUse()).isEqualTo(4);
            b.injectAndIndicate(flows(64));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1, 2, 3);
            assertThat(b.host.set(b.adapter, Oid.GEN_RECEIVE_SCALE_PARAMETERS, RssParameterSet.revision2(
                    NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_DISABLE_RSS, 0, new int[0], new byte[0]))
                    .join().status()).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.model().queuePairsInUse()).as("VQ_PAIRS_SET 1").isEqualTo(1);
            assertThat(b.model().rssHashTypes()).isZero();
            b.injectAndIndicate(flows(32));
            assertThat(b.edge.receivedQueues()).hasSize(32).containsOnly(0);
        }
    }

    @Test
    void theRssWrongQueueFaultShowsInTheNbls() {
        try (VirtioBench b = new VirtioBench(spec(4) + "&fault=rss-wrong-queue")) {
            b.running();
            int[] table = RssParameterSet.roundRobin(128, 4);
            set(b, table);
            List<byte[]> frames = flows(16);
            b.injectAndIndicate(frames);
            List<Integer> queues = b.edge.receivedQueues();
            List<Long> hashes = b.edge.receivedHashes();
            assertThat(queues).hasSize(frames.size());
            for (int i = 0; i < queues.size(); i++) {
                int named = table[(int) (long) hashes.get(i) & 127];
                assertThat(queues.get(i)).as("frame %d", i).isEqualTo((named + 1) % 4);
            }
        }
    }
}
