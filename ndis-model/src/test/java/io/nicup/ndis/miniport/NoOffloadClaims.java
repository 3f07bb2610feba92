package io.nicup.ndis.miniport;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.oid.Oid;

/**
 * What a family whose data path does no offload must show NDIS (docs/ndis-contract.md §9, §10): no offload
 * attributes, no RSS capabilities, none of the offload OIDs listed, each answered NOT_SUPPORTED, and a
 * clean verifier.
 */
public final class NoOffloadClaims {

    private NoOffloadClaims() {
    }

    public static void check(MockMiniportBench<?> b) {
        MiniportAdapter a = b.running();
        assertThat(a.offloadAttributes()).isNull();
        assertThat(a.currentOffload()).isNull();
        assertThat(a.generalAttributes().recvScaleCapabilities()).isNull();
        assertThat(a.generalAttributes().supportedOidList()).doesNotContain(Oid.TCP_OFFLOAD_PARAMETERS,
                Oid.OFFLOAD_ENCAPSULATION, Oid.TCP_OFFLOAD_CURRENT_CONFIG, Oid.GEN_RECEIVE_SCALE_CAPABILITIES,
                Oid.GEN_RECEIVE_SCALE_PARAMETERS);
        for (int oid : new int[] {Oid.TCP_OFFLOAD_CURRENT_CONFIG, Oid.GEN_RECEIVE_SCALE_CAPABILITIES,
            Oid.GEN_RECEIVE_SCALE_PARAMETERS, Oid.OFFLOAD_ENCAPSULATION}) {
            assertThat(b.host.query(a, oid, 256).join().status()).as(Oid.name(oid)).isEqualTo(NdisStatus.NOT_SUPPORTED);
        }
        assertThat(b.host.set(a, Oid.TCP_OFFLOAD_PARAMETERS, new byte[20]).join().status())
                .isEqualTo(NdisStatus.NOT_SUPPORTED);
        assertThat(b.host.verifier().violations()).isEmpty();
    }
}
