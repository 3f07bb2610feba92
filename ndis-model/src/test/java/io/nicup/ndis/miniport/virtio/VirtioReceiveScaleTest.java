package io.nicup.ndis.miniport.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisRssHash;
import org.junit.jupiter.api.Test;

/**
 * What {@link VirtioReceiveScale} declares and translates (docs/hardware-reference.md C.10): capabilities
 * only as far as the device configuration allows, the NDIS ↔ virtio hash types, and each hash_report value.
 */
class VirtioReceiveScaleTest {

    private static final int ALL = 0x1FF;

    @Test
    void capabilitiesFollowTheDeviceConfigurationAndNothingMore() {
        NdisReceiveScaleCapabilities qemu = VirtioReceiveScale.capabilities(
                new VirtioReceiveScale.Limits(1, 40, 128, ALL), true, 1);
        assertThat(qemu.supportedHashTypes()).as("no Ex types declared").isEqualTo(NdisRssHash.NDIS_HASH_IPV4
                | NdisRssHash.NDIS_HASH_TCP_IPV4 | NdisRssHash.NDIS_HASH_UDP_IPV4 | NdisRssHash.NDIS_HASH_IPV6
                | NdisRssHash.NDIS_HASH_TCP_IPV6 | NdisRssHash.NDIS_HASH_UDP_IPV6);
        assertThat(qemu.numberOfReceiveQueues()).isEqualTo(1);
        assertThat(VirtioReceiveScale.capabilities(new VirtioReceiveScale.Limits(1, 40, 100, ALL), true, 1)
                .numberOfIndirectionTableEntries()).as("a power of two within the device's table").isEqualTo(64);
        int ipv4Tcp = VirtioReceiveScale.TYPE_IPV4 | VirtioReceiveScale.TYPE_TCPV4;
        assertThat(VirtioReceiveScale.capabilities(new VirtioReceiveScale.Limits(1, 40, 128, ipv4Tcp), true, 1)
                .supportedHashTypes()).isEqualTo(NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_TCP_IPV4);
        assertThat(VirtioReceiveScale.capabilities(new VirtioReceiveScale.Limits(1, 39, 128, ALL), true, 1))
                .as("NDIS keys are 40 bytes").isNull();
        assertThat(VirtioReceiveScale.capabilities(new VirtioReceiveScale.Limits(1, 40, 128,
                VirtioReceiveScale.TYPE_TCPV4 | VirtioReceiveScale.TYPE_IPV6), true, 1))
                .as("a TCP type without its address type").isNull();
        assertThat(VirtioReceiveScale.capabilities(new VirtioReceiveScale.Limits(1, 40, 0, ALL), true, 1)).isNull();
        assertThat(VirtioReceiveScale.capabilities(new VirtioReceiveScale.Limits(1, 40, 0, ALL), false, 1)
                .numberOfIndirectionTableEntries()).as("hash report alone: no device table").isEqualTo(128);
        assertThat(new VirtioReceiveScale(Features.NET_F_RSS, new VirtioReceiveScale.Limits(1, 40, 128, ALL), 1)
                .capabilities()).as("RSS without the hash report declares nothing").isNull();
    }

    @Test
    void capabilitiesAnnounceEveryReceiveQueueTheAdapterRuns() {
        VirtioReceiveScale.Limits qemu = new VirtioReceiveScale.Limits(4, 40, 128, ALL);
        VirtioReceiveScale four = new VirtioReceiveScale(Features.NET_F_RSS | Features.NET_F_HASH_REPORT
                | Features.NET_F_MQ, qemu, 4);
        assertThat(four.queues()).isEqualTo(4);
        assertThat(four.capabilities().numberOfReceiveQueues()).isEqualTo(4);
        assertThat(four.capabilities().numberOfInterruptMessages()).as("one MSI-X message per queue").isEqualTo(4);
        VirtioReceiveScale hashOnly = new VirtioReceiveScale(Features.NET_F_HASH_REPORT | Features.NET_F_MQ, qemu, 4);
        assertThat(hashOnly.queues()).as("without RSS the device steers no frame by the table").isEqualTo(1);
        assertThat(hashOnly.capabilities().numberOfReceiveQueues()).isEqualTo(1);
    }

    @Test
    void ndisHashTypesMapOneToOneOntoVirtioHashTypes() {
        assertThat(VirtioReceiveScale.virtioHashTypes(NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ)).isZero();
        int[] ndis = {NdisRssHash.NDIS_HASH_IPV4, NdisRssHash.NDIS_HASH_TCP_IPV4, NdisRssHash.NDIS_HASH_UDP_IPV4,
            NdisRssHash.NDIS_HASH_IPV6, NdisRssHash.NDIS_HASH_TCP_IPV6, NdisRssHash.NDIS_HASH_UDP_IPV6,
            NdisRssHash.NDIS_HASH_IPV6_EX, NdisRssHash.NDIS_HASH_TCP_IPV6_EX, NdisRssHash.NDIS_HASH_UDP_IPV6_EX};
        for (int bit = 0; bit < ndis.length; bit++) {
            assertThat(VirtioReceiveScale.virtioHashTypes(ndis[bit] | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ))
                    .as(NdisRssHash.typeName(ndis[bit])).isEqualTo(1 << bit);
        }
    }

    @Test
    void eachHashReportBecomesItsNdisTypeWithToeplitzAndNoneOrUnknownNoHash() {
        int[] ndis = {NdisRssHash.NDIS_HASH_IPV4, NdisRssHash.NDIS_HASH_TCP_IPV4, NdisRssHash.NDIS_HASH_UDP_IPV4,
            NdisRssHash.NDIS_HASH_IPV6, NdisRssHash.NDIS_HASH_TCP_IPV6, NdisRssHash.NDIS_HASH_UDP_IPV6,
            NdisRssHash.NDIS_HASH_IPV6_EX, NdisRssHash.NDIS_HASH_TCP_IPV6_EX, NdisRssHash.NDIS_HASH_UDP_IPV6_EX};
        assertThat(VirtioReceiveScale.hashInfo(0)).isZero();
        for (int report = 1; report <= 9; report++) {
            assertThat(VirtioReceiveScale.hashInfo(report)).isEqualTo(ndis[report - 1]
                    | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ);
        }
        assertThat(VirtioReceiveScale.hashInfo(10)).as("a value the spec has not").isZero();
        assertThat(VirtioReceiveScale.hashInfo(0xFFFF)).isZero();
    }
}
