package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.e82574.E82574Factory;
import io.nicup.mock.e82574.E82574Model;
import io.nicup.ndis.HostOptions;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.protocol.FrameEdge;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two 82574Ls in one process under one driver registration, as NDIS allows: one DriverEntry, one
 * NdisMRegisterMiniportDriver, two MiniportInitializeEx with their own contexts. Their traffic, halts
 * and resources stay apart, and the verifier (STRICT) finds nothing.
 */
class TwoAdaptersTest {

    private static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:0a:01");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:0b:01");

    @Test
    void twoAdaptersOfOneDriverCarryTrafficAndHaltIndependently() {
        VirtualClock clock = new VirtualClock();   // one simulated machine: both NICs on one clock
        E82574Factory factory = new E82574Factory();
        try (MockPciDevice a = factory.open(MockDevices.parse("mock:82574L?mac=" + MAC_A + "&address=0000:01:00.0"), clock);
                MockPciDevice b = factory.open(MockDevices.parse("mock:82574L?mac=" + MAC_B + "&address=0000:02:00.0"), clock);
                NdisHost host = new NdisHost(HostOptions.deterministic(clock))) {
            Miniport82574 driver = new Miniport82574();
            LoadedDriver loaded = host.loadDriver(Miniport82574.NAME, driver::driverEntry, RegistryPath.empty("e82574"));
            assertThat(driver.setOptionsCalls()).as("one registration").isEqualTo(1);
            FrameEdge edgeA = new FrameEdge();
            FrameEdge edgeB = new FrameEdge();
            MiniportAdapter adA = running(host, loaded, a, edgeA);
            MiniportAdapter adB = running(host, loaded, b, edgeB);
            assertThat(driver.adapter(adA)).isNotSameAs(driver.adapter(adB));
            assertThat(adA.generalAttributes().currentMacAddress()).isEqualTo(MAC_A);
            assertThat(adB.generalAttributes().currentMacAddress()).isEqualTo(MAC_B);

            NetBufferListPool poolA = host.allocateSendPool(adA, 64, 2048);
            List<byte[]> outA = MockBench.frames(MockBench.PEER, MAC_A, 10, 64, 0);
            assertThat(FrameEdge.send(host, adA, poolA, outA)).isEqualTo(10);
            byte[] inB = MockBench.frame(MAC_B, MockBench.PEER, 100, 7);
            b.wire().inject(inB);
            host.idle(Duration.ofMillis(5));
            assertThat(a.wire().captured()).containsExactlyElementsOf(outA);
            assertThat(b.wire().captured()).as("nothing of A's leaks onto B's wire").isEmpty();
            assertThat(edgeB.received()).containsExactly(inB);
            assertThat(edgeA.received()).isEmpty();
            assertThat(edgeA.completedOk()).isEqualTo(10);
            assertThat(edgeB.completedOk()).isZero();

            host.pause(adA);
            host.halt(adA, HaltAction.NdisHaltDeviceDisabled);
            assertThat(adA.state()).isEqualTo(AdapterState.HALTED);
            assertThat(a.dmaAllocator().liveRegions()).isZero();
            assertThat(a.configSpace().busMaster()).isFalse();
            assertThat(a.model(E82574Model.class).interrupts().armed()).isNull();

            // B goes on as if A had never been there
            assertThat(adB.state()).isEqualTo(AdapterState.RUNNING);
            assertThat(b.configSpace().busMaster()).isTrue();
            NetBufferListPool poolB = host.allocateSendPool(adB, 64, 2048);
            List<byte[]> outB = MockBench.frames(MockBench.PEER, MAC_B, 5, 80, 100);
            assertThat(FrameEdge.send(host, adB, poolB, outB)).isEqualTo(5);
            b.wire().inject(MockBench.frame(MAC_B, MockBench.PEER, 64, 8));
            host.idle(Duration.ofSeconds(3));                  // CheckForHang runs for B alone
            assertThat(b.wire().captured()).containsExactlyElementsOf(outB);
            assertThat(edgeB.received()).hasSize(2);
            assertThat(edgeB.completedOk()).isEqualTo(5);
            assertThat(driver.adapter(adB).resets()).isZero();

            host.pause(adB);
            host.halt(adB, HaltAction.NdisHaltDeviceDisabled);
            assertThat(b.dmaAllocator().liveRegions()).isZero();
            assertThat(host.unloadDriver(loaded)).isEqualTo(NdisStatus.SUCCESS);
            assertThat(host.verifier().verdict().passed()).as(host.verifier().violations().toString()).isTrue();
        }
    }

    @Test
    void aFailedInitializationIsReportedForThatAdapterOnly() {
        VirtualClock clock = new VirtualClock();
        E82574Factory factory = new E82574Factory();
        try (MockPciDevice good = factory.open(MockDevices.parse("mock:82574L?mac=" + MAC_A + "&address=0000:01:00.0"), clock);
                MockPciDevice bad = factory.open(MockDevices.parse("mock:82574L?mac=" + MAC_B
                        + "&address=0000:02:00.0&fault=nvm-checksum"), clock);
                NdisHost host = new NdisHost(HostOptions.deterministic(clock))) {
            Miniport82574 driver = new Miniport82574();
            LoadedDriver loaded = host.loadDriver(Miniport82574.NAME, driver::driverEntry, RegistryPath.empty("e82574"));
            MiniportAdapter adBad = host.addAdapter(loaded, bad, new FrameEdge());
            MiniportAdapter adGood = running(host, loaded, good, new FrameEdge());

            assertThat(adBad.initStatus()).isEqualTo(NdisStatus.FAILURE);
            assertThat(driver.initFailure(adBad)).hasValueSatisfying(f -> {
                assertThat(f.step()).isEqualTo("reset and identify");
                assertThat(f.detail()).contains("NVM checksum invalid", "0xBABB");
            });
            assertThat(driver.initFailure(adGood)).as("the other adapter's failure is not this one's").isEmpty();
            assertThatThrownBy(() -> driver.adapter(adBad)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("last_failure=NVM checksum invalid");

            host.pause(adGood);
            host.halt(adGood, HaltAction.NdisHaltDeviceDisabled);
            assertThat(driver.initFailure(adGood)).as("a clean halt records nothing").isEmpty();
            assertThat(host.unloadDriver(loaded)).isEqualTo(NdisStatus.SUCCESS);
        }
    }

    private static MiniportAdapter running(NdisHost host, LoadedDriver loaded, MockPciDevice device, FrameEdge edge) {
        MiniportAdapter ad = host.addAdapter(loaded, device, edge);
        assertThat(ad.initStatus()).isEqualTo(NdisStatus.SUCCESS);
        FrameEdge.setPacketFilter(host, ad, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
        assertThat(host.restart(ad)).isEqualTo(NdisStatus.SUCCESS);
        assertThat(Miniport82574.awaitLinkUp(host, ad, Duration.ofSeconds(2))).isTrue();
        return ad;
    }
}
