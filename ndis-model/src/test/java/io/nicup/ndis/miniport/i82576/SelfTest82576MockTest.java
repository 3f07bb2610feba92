package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 82576 miniport over {@code mock:82576}: offline self-tests and the register dump. */
class SelfTest82576MockTest {

    @Test
    void everyOfflineSelfTestPassesAndTheAdapterRunsAfterwards() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            E82576Diagnostics d = E82576Diagnostics.of(b.host, b.driver, b.adapter);
            List<SelfTestResult> results = d.runOffline();
            assertThat(results).extracting(SelfTestResult::name).containsExactly("register", "nvm",
                    "interrupt", "phy-loopback", "mac-loopback", "link");
            assertThat(results).as(results.toString()).allMatch(r -> r.outcome() == SelfTestResult.Outcome.PASS);
            assertThat(results.get(1).reason()).contains("0xBABA");
            assertThat(results.get(2).reason()).contains("MSIX", "vector0", "vector1", "vector2(LSC)");
            assertThat(results.get(3).reason()).contains("64 frames");
            FrameEdge.setPacketFilter(b.host, b.adapter, MockBench.DEFAULT_FILTER);
            b.host.restart(b.adapter);
            Miniport82576.awaitLinkUp(b.host, b.adapter, Duration.ofSeconds(2));
            b.send(MockBench.frames(MockBench.PEER, MockBench.MAC, 3, 64, 0));
            assertThat(b.wire.captured()).hasSize(3);
            NdisStatisticsInfo s = b.statistics();
            assertThat(s.ifHCOutUcastPkts()).as("self-test traffic is not in the NDIS statistics").isEqualTo(3);
            assertThat(s.ifHCInUcastPkts()).isZero();
        }
    }

    @Test
    void aLoopbackTestThatSeesNoFrameComeBackFailsWithAReason() {
        try (MockBench b = new MockBench()) {
            b.add();
            b.host.idle(Duration.ofMillis(600));
            E82576Diagnostics d = E82576Diagnostics.of(b.host, b.driver, b.adapter);
            b.device.setBusMaster(false);
            SelfTestResult r = d.loopbackTest(E82576Diagnostics.Loopback.PHY);
            b.device.setBusMaster(true);
            assertThat(r.outcome()).isEqualTo(SelfTestResult.Outcome.FAIL);
            assertThat(r.reason()).contains("written back");
        }
    }

    @Test
    void theRegisterDumpDecodesTheImportantRegisters() {
        try (MockBench b = new MockBench()) {
            b.running();
            E82576Diagnostics d = E82576Diagnostics.of(b.host, b.driver, b.adapter);
            String dump = String.join("\n", d.registerDump().stream().map(Object::toString).toList());
            assertThat(dump).contains("CTRL ", "SLU", "STATUS", " LU", "SPEED=1000", "EECD", "AUTO_RD", "GPIE",
                    "MSIX_MODE", "RCTL", "EN", "BAM", "SECRC", "LPE", "TCTL", "PSP", "CT=15 COLD=63", "SRRCTL0",
                    "BSIZEPKT=2048 DESCTYPE=ADV_ONEBUF", "RXDCTL0", "TXDCTL0", "ENABLE", "IVAR0", "RXQ0->0 TXQ0->1",
                    "IVAR_MISC", "OTHER->2", "EIMS", "vector0 vector1 vector2", "RLPML", "max_frame=1522", "RAH0",
                    "mac=52:54:00:12:34:56");
            assertThat(dump.lines()).noneMatch(l -> l.startsWith("ICR ") || l.startsWith("EICR "));
            assertThat(d.registerDump(true).stream().map(r -> r.name()).toList()).contains("ICR", "EICR");
            assertThat(d.counters()).containsKeys("GPRC", "GPTC", "GORC", "GOTC", "MPC");
            assertThat(d.loopback()).isPresent();
        }
    }
}
