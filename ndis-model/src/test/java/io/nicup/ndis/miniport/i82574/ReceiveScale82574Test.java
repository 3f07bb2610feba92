package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.oid.NdisRssHash;
import org.junit.jupiter.api.Test;

/** The 82574L's MRQC and RETA encodings (docs/hardware-reference.md B.18). */
class ReceiveScale82574Test {

    @Test
    void aRetaEntryNamesItsQueueInBit7() {
        assertThat(ReceiveScale82574.LAYOUT.tableEntry().applyAsInt(0)).isZero();
        assertThat(ReceiveScale82574.LAYOUT.tableEntry().applyAsInt(1)).isEqualTo(0x80);
    }

    @Test
    void theHashTypesMapToMrqcsFieldsAndUdpToNone() {
        assertThat(ReceiveScale82574.fieldEnables(NdisRssHash.NDIS_HASH_TCP_IPV4)).isEqualTo(1 << 16);
        assertThat(ReceiveScale82574.fieldEnables(NdisRssHash.NDIS_HASH_IPV4)).isEqualTo(1 << 17);
        assertThat(ReceiveScale82574.fieldEnables(NdisRssHash.NDIS_HASH_TCP_IPV6)).as("TcpIPv6(Ex)").isEqualTo(1 << 18);
        assertThat(ReceiveScale82574.fieldEnables(NdisRssHash.NDIS_HASH_IPV6)).isEqualTo(1 << 20);
        assertThat(ReceiveScale82574.fieldEnables(NdisRssHash.NDIS_HASH_UDP_IPV4 | NdisRssHash.NDIS_HASH_UDP_IPV6))
                .isZero();
        assertThat(ReceiveScale82574.LAYOUT.rssEnable()).as("MRQC bits 1:0 = 01b").isEqualTo(0x1);
    }
}
