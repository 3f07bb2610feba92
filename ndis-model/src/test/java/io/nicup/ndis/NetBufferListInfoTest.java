package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.oid.NdisRssHash;
import org.junit.jupiter.api.Test;

/** The per-NBL out-of-band information (docs/ndis-contract.md §11). */
class NetBufferListInfoTest {

    @Test
    void theChecksumRequestCarriesItsFlagsAndTheTcpHeaderOffset() {
        int v = NetBufferListInfo.checksumTransmit(NetBufferListInfo.TX_IS_IPV4 | NetBufferListInfo.TX_TCP_CHECKSUM
                | NetBufferListInfo.TX_IP_HEADER_CHECKSUM, 34);
        assertThat(v & NetBufferListInfo.TX_TCP_CHECKSUM).isNotZero();
        assertThat(v & NetBufferListInfo.TX_UDP_CHECKSUM).isZero();
        assertThat(NetBufferListInfo.checksumTransmitTcpHeaderOffset(v)).isEqualTo(34);
        assertThat(v).as("bits 0, 2, 4 and offset 34 at bit 16").isEqualTo(0x15 | (34 << 16));
    }

    @Test
    void theLsoV2RequestCarriesMssOffsetTypeAndIpVersionAndTheCompletionTheBytesSent() {
        int v = NetBufferListInfo.lsoV2Transmit(1448, 54, true);
        assertThat(NetBufferListInfo.lsoMss(v)).isEqualTo(1448);
        assertThat(NetBufferListInfo.lsoTcpHeaderOffset(v)).isEqualTo(54);
        assertThat(NetBufferListInfo.lsoIsV2(v)).isTrue();
        assertThat(NetBufferListInfo.lsoIpv6(v)).isTrue();
        assertThat(NetBufferListInfo.lsoIpv6(NetBufferListInfo.lsoV2Transmit(1460, 34, false))).isFalse();
        int done = NetBufferListInfo.lsoTransmitComplete(v, 65_000);
        assertThat(NetBufferListInfo.lsoCompletedBytes(done)).isEqualTo(65_000);
        assertThat(NetBufferListInfo.lsoIsV2(done)).isTrue();
    }

    @Test
    void anNblCarriesItsInfoUntilItIsFreedAndComesBackClean() {
        try (Rig rig = new Rig()) {
            rig.running();
            NetBufferListPool pool = rig.sendPool();
            NetBufferList nbl = pool.allocate();
            nbl.setInfo(NetBufferListInfo.HASH_VALUE, 0x51ccc178);
            nbl.setInfo(NetBufferListInfo.HASH_INFO, NdisRssHash.NDIS_HASH_TCP_IPV4 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ);
            nbl.setInfo(NetBufferListInfo.TCP_IP_CHECKSUM, NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED
                    | NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED);
            assertThat(nbl.info(NetBufferListInfo.HASH_VALUE)).isEqualTo(0x51ccc178);
            assertThat(nbl.info(NetBufferListInfo.TCP_IP_CHECKSUM) & NetBufferListInfo.RX_TCP_CHECKSUM_FAILED).isZero();
            pool.free(nbl);
            NetBufferList again = null;
            for (int i = 0; i < pool.capacity() && again != nbl; i++) {
                again = pool.allocate();
            }
            assertThat(again).isSameAs(nbl);
            for (int id = 0; id < NetBufferListInfo.COUNT; id++) {
                assertThat(again.info(id)).as("info " + id).isZero();
            }
        }
    }
}
