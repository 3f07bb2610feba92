package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.ALL_TYPES;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.KEY;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.TOEPLITZ;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.expected;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.parameters;
import static io.nicup.ndis.miniport.i82576.ReceiveScale82576MockTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.ReceiveQueueSpread;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.vfio.InterruptMode;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.rss.Toeplitz;
import io.nicup.ndis.miniport.core.SelfTestResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Several receive queues on the 82576 (docs/ndis-contract.md §21, docs/hardware-reference.md B.16): as many
 * as the keywords and the MSI-X messages allow, each with its own ring, vector and DPC; a frame arrives on
 * the queue its hash's indirection-table entry names, with that queue's number in its NBL; MSI runs one.
 */
class ReceiveQueues82576MockTest {

    static List<byte[]> flows(int flows) {
        return ReceiveQueueSpread.flows(MockBench.MAC, flows);
    }

    private static NdisReceiveScaleCapabilities capabilities(MockBench b) {
        return b.adapter.generalAttributes().recvScaleCapabilities();
    }

    private static TreeSet<Integer> assertEachOnItsQueue(MockBench b, int[] table) {
        Toeplitz toeplitz = new Toeplitz(KEY);
        return ReceiveQueueSpread.assertEachOnItsQueue(b.edge, table, f -> expected(toeplitz, ALL_TYPES, f));
    }

    @Test
    void flowsSpreadOverEveryQueueEachOnTheQueueItsIndirectionEntryNames() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(capabilities(b).numberOfReceiveQueues()).as("*MaxRssProcessors' default 4").isEqualTo(4);
            assertThat(capabilities(b).numberOfInterruptMessages()).isEqualTo(4);
            assertThat(b.nic().receiveQueues()).isEqualTo(4);
            int[] table = RssParameterSet.roundRobin(128, 4);
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, table, KEY))).isEqualTo(NdisStatus.SUCCESS);
            List<byte[]> frames = flows(64);
            b.injectAndIndicate(frames);
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1, 2, 3);
            long[] perQueue = b.edge.queueFrames();
            for (int q = 0; q < 4; q++) {
                assertThat(b.nic().rxQueueFrames(q)).as("queue %d: the driver's count", q).isEqualTo(perQueue[q]);
                int vector = q == 0 ? 0 : q + 2;
                assertThat(b.nic().observedVectors() & 1 << vector).as("queue %d's vector %d ran", q, vector).isNotZero();
            }
            assertThat(Arrays.stream(perQueue).sum()).isEqualTo(frames.size());
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void buffersGoBackToTheRingTheyCameFromSoEveryQueueKeepsReceivingPastItsRingSize() {
        try (MockBench b = new MockBench()) {
            b.running();
            int[] table = RssParameterSet.roundRobin(128, 4);
            set(b, parameters(0, TOEPLITZ | ALL_TYPES, table, KEY));
            List<byte[]> frames = flows(128);
            for (int round = 0; round < 12; round++) {            // 1536 frames, 6 times a 256-entry ring
                b.injectAndIndicate(frames);
                assertThat(assertEachOnItsQueue(b, table)).as("round %d", round).containsExactly(0, 1, 2, 3);
            }
            assertThat(b.host.pause(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            b.halt();
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aResetProgramsEveryQueueAgainAndFramesStillSpread() {
        try (MockBench b = new MockBench()) {
            b.running();
            int[] table = RssParameterSet.roundRobin(128, 4);
            set(b, parameters(0, TOEPLITZ | ALL_TYPES, table, KEY));
            b.injectAndIndicate(flows(64));
            assertThat(b.host.reset(b.adapter)).isIn(NdisStatus.SUCCESS, NdisStatus.PENDING);
            for (int i = 0; i < 3000 && !b.nic().chip().hardware().linkUp(); i++) {
                b.pump();
            }
            b.injectAndIndicate(flows(64));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1, 2, 3);
            assertThat(b.readRegister(Regs82576.RDT(3))).as("queue 3 refilled after the reset").isNotZero();
        }
    }

    @Test
    void theInterruptSelfTestFiresEveryQueuesVector() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            List<SelfTestResult> results = E82576Diagnostics.of(b.host, b.driver, b.adapter).runOffline();
            assertThat(results.get(2).name()).isEqualTo("interrupt");
            assertThat(results.get(2).reason()).endsWith(" vector0 vector1 vector3 vector4 vector5 vector2(LSC)");
        }
    }

    @Test
    void numRssQueuesCutsTheQueuesAndTheirVectors() {
        try (MockBench b = new MockBench("mock:82576", "[*]\n*NumRssQueues=2\n")) {
            b.running();
            assertThat(capabilities(b).numberOfReceiveQueues()).isEqualTo(2);
            assertThat(b.readRegister(Regs82576.EIAC)).as("RX0 0, TX0 1, RX1 3").isEqualTo(0b1011);
            assertThat(b.readRegister(Regs82576.RXDCTL(2)) & Rxdctl.ENABLE).as("queue 2 not run").isZero();
            int[] table = RssParameterSet.roundRobin(128, 2);
            set(b, parameters(0, TOEPLITZ | ALL_TYPES, table, KEY));
            b.injectAndIndicate(flows(32));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1);
        }
    }

    @Test
    void whenMsiXIsRefusedAtRegistrationOneQueueIsAnnouncedAnsweredAndRun() {
        try (MockBench b = new MockBench("mock:82576?fault=msix-refused", "")) {
            b.running();
            assertThat(b.nic().interruptMode()).isEqualTo(InterruptMode.MSI);
            assertThat(capabilities(b).numberOfReceiveQueues()).as("announced: what runs").isEqualTo(1);
            assertThat(capabilities(b).numberOfInterruptMessages()).isEqualTo(1);
            OidResult r = b.host.query(b.adapter, Oid.GEN_RECEIVE_SCALE_CAPABILITIES, 64).join();
            assertThat(r.succeeded()).isTrue();
            assertThat(r.request().informationBuffer().get(NdisOidRequest.ULONG, 8)).as("OID: messages").isEqualTo(1);
            assertThat(r.request().informationBuffer().get(NdisOidRequest.ULONG, 12)).as("OID: queues").isEqualTo(1);
            assertThat(b.nic().receiveQueues()).isEqualTo(1);
            assertThat(b.readRegister(Regs82576.RXDCTL(1)) & Rxdctl.ENABLE).as("queue 1 not run").isZero();
            int[] beyond = new int[128];
            beyond[5] = 1;
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, beyond, KEY))).as("queue 1 was not announced")
                    .isEqualTo(NdisStatus.INVALID_DATA);
            int[] table = new int[128];
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, table, KEY))).isEqualTo(NdisStatus.SUCCESS);
            b.injectAndIndicate(flows(32));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0);
            assertThat(b.host.pause(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            b.halt();
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void underMsiOneQueueIsAnnouncedAndEveryFrameArrivesOnQueueZero() {
        try (MockBench b = new MockBench("mock:82576", "[*]\nInterruptMode=2\n")) {
            b.running();
            assertThat(capabilities(b).numberOfReceiveQueues()).isEqualTo(1);
            assertThat(capabilities(b).numberOfInterruptMessages()).isEqualTo(1);
            assertThat(b.nic().receiveQueues()).isEqualTo(1);
            int[] beyond = new int[128];
            beyond[5] = 1;
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, beyond, KEY))).as("queue 1 does not exist")
                    .isEqualTo(NdisStatus.INVALID_DATA);
            int[] table = new int[128];
            assertThat(set(b, parameters(0, TOEPLITZ | ALL_TYPES, table, KEY))).isEqualTo(NdisStatus.SUCCESS);
            b.injectAndIndicate(flows(32));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0);
        }
    }
}
