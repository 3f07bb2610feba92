package io.nicup.ndis.miniport.intel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.ChecksumOffloadCheck;
import io.nicup.ndis.miniport.MockMiniportBench;
import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.ndis.miniport.i82576.Regs82576;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Checksum offload of the 82574L and the 82576 on their mocks (docs/hardware-reference.md B.15): every check
 * of {@link ChecksumOffloadCheck} on each chip, and the mock's faults that break each direction making its
 * check fail there.
 */
class IntelChecksumOffloadMockTest {

    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");

    /**
     * Each chip: its mock, its driver, RXCSUM's offset, whether it validates behind IPv6 extension headers,
     * and the RSS capabilities it announces (docs/hardware-reference.md B.16: the 82576 hashes TCP and UDP
     * over IPv4 and IPv6 into the one receive queue the driver runs, with RETA's 128 entries).
     */
    enum Chip {
        E82574("mock:82574L", Miniport82574::new, Regs82574.RXCSUM, true, NdisReceiveScaleCapabilities.of(
                NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6, 2, 2, 128)), // two queues, MSI-X
        E82576("mock:82576", Miniport82576::new, Regs82576.RXCSUM, false, NdisReceiveScaleCapabilities.of(
                NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6, 4, 4, 128)); // *MaxRssProcessors' 4

        final String spec;
        final Supplier<IntelMiniport<?>> driver;
        final int rxcsum;
        final boolean rxIpv6ExtensionHeaders;
        final NdisReceiveScaleCapabilities rss;

        Chip(String spec, Supplier<IntelMiniport<?>> driver, int rxcsum, boolean rxIpv6ExtensionHeaders,
                NdisReceiveScaleCapabilities rss) {
            this.spec = spec;
            this.driver = driver;
            this.rxcsum = rxcsum;
            this.rxIpv6ExtensionHeaders = rxIpv6ExtensionHeaders;
            this.rss = rss;
        }
    }

    /** The chip's miniport on its mock. */
    static final class Bench extends MockMiniportBench<IntelMiniport<?>> {
        Bench(Chip chip, String query, String parameters) {
            super(chip.spec + query, parameters, chip.driver.get(), 16384);
        }

        IntelAdapter<?> nic() {
            return driver.adapter(adapter);
        }

        int rxcsum(Chip chip) {
            return device.bar(0).read32(chip.rxcsum);
        }
    }

    private static void transmit(Bench b) {
        b.running();
        ChecksumOffloadCheck.transmit(b, () -> b.nic().tx().tail(), b.nic().tx().count());
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void checksumOffloadIsClaimedBothWaysWithLsoV2AndRssOnlyWhereTheChipHasIt(Chip chip) {
        try (Bench b = new Bench(chip, "", "")) {
            int e = NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3;
            ChecksumOffloadCheck.claims(b, chip.rxIpv6ExtensionHeaders, new NdisOffload.LsoV2(
                    new NdisOffload.Lso(e, 65535, 2, false, false), new NdisOffload.Lso(e, 65535, 2, false, true)),
                    chip.rss);
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void framesLeaveWithTheChecksumsTheDriverLeftToTheDevice(Chip chip) {
        try (Bench b = new Bench(chip, "", "")) {
            transmit(b);
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void framesSplitOverSeveralMdlsLeaveWithTheChecksumsTheDriverLeftToTheDevice(Chip chip) {
        try (Bench b = new Bench(chip, "", "")) {
            ChecksumOffloadCheck.transmitSplit(b);
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void aDeviceThatSkipsTheInsertionFailsTheTransmitCheck(Chip chip) {
        try (Bench b = new Bench(chip, "?fault=tx-csum-skip", "")) {
            assertThatThrownBy(() -> transmit(b)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the checksums the device inserted");
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void injectedFramesGetTheDevicesVerdicts(Chip chip) {
        try (Bench b = new Bench(chip, "", "")) {
            ChecksumOffloadCheck.receive(b, MAC);
            assertThat(b.rxcsum(chip)).isEqualTo(IntelChecksum.RXCSUM_IPOFL | IntelChecksum.RXCSUM_TUOFL);
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void aDeviceThatLiesAboutChecksumsFailsTheReceiveCheck(Chip chip) {
        try (Bench b = new Bench(chip, "?fault=rx-csum-lie", "")) {
            assertThatThrownBy(() -> ChecksumOffloadCheck.receive(b, MAC)).isInstanceOf(AssertionError.class);
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void withEveryChecksumOffFramesLeaveAsGivenAndGetNoVerdict(Chip chip) {
        try (Bench b = new Bench(chip, "", "")) {
            ChecksumOffloadCheck.noOffload(b, MAC, () -> b.rxcsum(chip));
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void aRefusedOffloadSetKeepsTheConfigurationInForce(Chip chip) {
        try (Bench b = new Bench(chip, "", "")) {
            ChecksumOffloadCheck.refusedSetKeepsConfiguration(b, MAC);
        }
    }

    @ParameterizedTest
    @EnumSource(Chip.class)
    void keywordsThatTurnEveryChecksumAndLsoOffLeaveRxcsumZeroAndFramesAsGiven(Chip chip) {
        try (Bench b = new Bench(chip, "", "*IPChecksumOffloadIPv4 = 0\n*TCPChecksumOffloadIPv4 = 0\n"
                + "*TCPChecksumOffloadIPv6 = 0\n*UDPChecksumOffloadIPv4 = 0\n*UDPChecksumOffloadIPv6 = 0\n"
                + "*LsoV2IPv4 = 0\n*LsoV2IPv6 = 0")) {
            assertThat(b.running().currentOffload().any()).isFalse();
            assertThat(b.rxcsum(chip)).isZero();
            ChecksumOffloadCheck.noOffload(b, MAC, () -> b.rxcsum(chip));
        }
    }
}
