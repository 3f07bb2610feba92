package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.ReceiveScale82574MockTest.KEY;
import static io.nicup.ndis.miniport.i82574.ReceiveScale82574MockTest.TOEPLITZ;
import static io.nicup.ndis.miniport.i82574.ReceiveScale82574MockTest.TYPES;
import static io.nicup.ndis.miniport.i82574.ReceiveScale82574MockTest.expected;
import static io.nicup.ndis.miniport.i82574.ReceiveScale82574MockTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.miniport.ReceiveQueueSpread;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.rss.RssParameterSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The 82574L's two receive queues (docs/ndis-contract.md §21.2, docs/hardware-reference.md B.18): with MSI-X
 * both rings run, RXQ1 on its own vector (3) and DPC, and a frame arrives on the queue its hash's
 * indirection-table entry names, with that queue in its NBL; MSI runs one and announces one.
 */
class ReceiveQueues82574MockTest {

    static List<byte[]> flows(int flows) {
        return ReceiveQueueSpread.flows(MockBench.MAC, flows);
    }

    private static NdisReceiveScaleCapabilities capabilities(MockBench b) {
        return b.adapter.generalAttributes().recvScaleCapabilities();
    }

    private static TreeSet<Integer> assertEachOnItsQueue(MockBench b, int[] table) {
        return ReceiveQueueSpread.assertEachOnItsQueue(b.edge, table, f -> expected(f, TYPES));
    }

    @Test
    void twoQueuesAreAnnouncedAndFlowsSpreadOverBothEachOnItsOwnVector() {
        try (MockBench b = new MockBench()) {
            b.running();
            assertThat(capabilities(b).numberOfReceiveQueues()).isEqualTo(2);
            assertThat(capabilities(b).numberOfInterruptMessages()).isEqualTo(2);
            assertThat(b.nic().receiveQueues()).isEqualTo(2);
            assertThat(b.readRegister(Regs82574.IVAR) & 0xF_FFFF).as("RXQ0 0, RXQ1 3, TXQ0 1, OTHER 2 (each VALID)")
                    .isEqualTo(0xA_0_9_B_8);
            assertThat(b.readRegister(Regs82574.IMS) & (Icr.RXQ0 | Icr.RXQ1)).isEqualTo(Icr.RXQ0 | Icr.RXQ1);
            assertThat(b.readRegister(Regs82574.RDLEN(1))).as("queue 1's ring").isNotZero();
            int[] table = RssParameterSet.roundRobin(128, 2);
            assertThat(set(b, 0, TOEPLITZ | TYPES, table, KEY)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(b.readRegister(Regs82574.RETA0)).as("entries 1 and 3 name queue 1 (bit 7)").isEqualTo(0x8000_8000);
            List<byte[]> frames = flows(64);
            b.injectAndIndicate(frames);
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1);
            long[] perQueue = b.edge.queueFrames();
            for (int q = 0; q < 2; q++) {
                assertThat(b.nic().rxQueueFrames(q)).as("queue %d: the driver's count", q).isEqualTo(perQueue[q]);
                int vector = q == 0 ? 0 : 3;
                assertThat(b.nic().observedVectors() & 1 << vector).as("queue %d's vector %d ran", q, vector).isNotZero();
            }
            assertThat(Arrays.stream(perQueue).sum()).isEqualTo(frames.size());
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void buffersGoBackToTheirRingAndAResetProgramsBothRingsAgain() {
        try (MockBench b = new MockBench()) {
            b.running();
            int[] table = RssParameterSet.roundRobin(128, 2);
            set(b, 0, TOEPLITZ | TYPES, table, KEY);
            List<byte[]> frames = flows(128);
            for (int round = 0; round < 6; round++) {             // 768 frames, 3 times a 256-entry ring
                b.injectAndIndicate(frames);
                assertThat(assertEachOnItsQueue(b, table)).as("round %d", round).containsExactly(0, 1);
            }
            assertThat(b.host.reset(b.adapter)).isIn(NdisStatus.SUCCESS, NdisStatus.PENDING);
            for (int i = 0; i < 3000 && !b.nic().chip().hardware().linkUp(); i++) {
                b.pump();
            }
            assertThat(b.readRegister(Regs82574.RDT(1))).as("queue 1 refilled after the reset").isNotZero();
            b.injectAndIndicate(flows(64));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0, 1);
            assertThat(b.host.pause(b.adapter)).isEqualTo(NdisStatus.SUCCESS);
            b.halt();
            assertThat(b.host.verifier().violations()).isEmpty();
        }
    }

    @Test
    void theInterruptSelfTestFiresReceiveQueueOnesCauseOnItsVector() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            List<SelfTestResult> results = E82574Diagnostics.of(b.host, b.driver, b.adapter).runOffline();
            assertThat(results.get(2).name()).isEqualTo("interrupt");
            assertThat(results.get(2).reason()).endsWith(" 0x100000 0x200000 0x400000 0x4");
        }
    }

    @Test
    void underMsiOneQueueIsAnnouncedAndEveryFrameArrivesOnQueueZero() {
        try (MockBench b = new MockBench("mock:82574L", "[*]\nInterruptMode=2\n")) {
            b.running();
            assertThat(capabilities(b).numberOfReceiveQueues()).isEqualTo(1);
            assertThat(b.nic().receiveQueues()).isEqualTo(1);
            int[] beyond = new int[128];
            beyond[5] = 1;
            assertThat(set(b, 0, TOEPLITZ | TYPES, beyond, KEY)).as("queue 1 is not announced")
                    .isEqualTo(NdisStatus.INVALID_DATA);
            int[] table = new int[128];
            assertThat(set(b, 0, TOEPLITZ | TYPES, table, KEY)).isEqualTo(NdisStatus.SUCCESS);
            b.injectAndIndicate(flows(32));
            assertThat(assertEachOnItsQueue(b, table)).containsExactly(0);
        }
    }
}
