package io.nicup.ndis.miniport;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisOffloadParameters;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.Oid;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Checksum offload of a family on its mock, byte for byte (docs/hardware-reference.md B.15,
 * docs/ndis-contract.md §9, §11): the claims, transmit (frames handed over as the NDIS transport does
 * leave with every checksum right, a context descriptor only when the offsets change), receive (the
 * device's verdicts in the NBL's checksum info), the no-offload configuration (frames leave exactly as
 * given, no verdicts) and a refused OID set (the configuration in force stays). Each check throws
 * AssertionError when what it checks is broken; the chip's tests show it does under the mock's
 * {@code tx-csum-skip} and {@code rx-csum-lie} faults.
 */
public final class ChecksumOffloadCheck {

    static final MacAddress SRC = MacAddress.parse("02:00:00:00:00:07");
    /** The frames each check uses: protocol, IPv6, IP options (IPv4 words) or a Destination Options header. */
    private static final int[][] KINDS = {{IpFrames.TCP, 0, 0}, {IpFrames.UDP, 0, 0}, {IpFrames.TCP, 1, 0},
        {IpFrames.UDP, 1, 0}, {IpFrames.TCP, 0, 2}, {IpFrames.UDP, 1, 1}, {IpFrames.TCP, 0, 0}};

    private ChecksumOffloadCheck() {
    }

    /**
     * What an Intel chip announces: checksums both ways, {@code lso}, RSS exactly as {@code rss} (null: none);
     * the default configuration is all of it.
     */
    public static void claims(MockMiniportBench<?> b, boolean rxIpv6ExtensionHeaders, NdisOffload.LsoV2 lso,
            NdisReceiveScaleCapabilities rss) {
        MiniportAdapter a = adapter(b);
        NdisOffload hw = a.offloadAttributes().hardwareOffloadCapabilities();
        NdisOffload.Checksum c = hw.checksum();
        for (NdisOffload.Direction d : List.of(c.ipv4Transmit(), c.ipv4Receive())) {
            assertThat(d).isEqualTo(new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3, true, true, true,
                    true, true));
        }
        assertThat(c.ipv6Transmit()).isEqualTo(new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3,
                true, true, true, true, false));
        assertThat(c.ipv6Receive()).isEqualTo(new NdisOffload.Direction(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3,
                rxIpv6ExtensionHeaders, true, true, true, false));
        assertThat(hw.lsoV2()).isEqualTo(lso);
        assertThat(a.offloadAttributes().defaultOffloadConfiguration().lsoV2()).isEqualTo(lso);
        assertThat(a.offloadAttributes().defaultOffloadConfiguration().checksum()).isEqualTo(c);
        assertThat(a.generalAttributes().recvScaleCapabilities()).isEqualTo(rss);
        assertThat(a.generalAttributes().supportedOidList()).contains(Oid.TCP_OFFLOAD_PARAMETERS,
                Oid.OFFLOAD_ENCAPSULATION, Oid.TCP_OFFLOAD_CURRENT_CONFIG);
        if (rss == null) {
            assertThat(a.generalAttributes().supportedOidList()).doesNotContain(Oid.GEN_RECEIVE_SCALE_PARAMETERS);
        } else {
            assertThat(a.generalAttributes().supportedOidList()).contains(Oid.GEN_RECEIVE_SCALE_CAPABILITIES,
                    Oid.GEN_RECEIVE_SCALE_PARAMETERS);
        }
        assertThat(b.host.query(a, Oid.TCP_OFFLOAD_PARAMETERS, 64).join().status()).as("set only")
                .isEqualTo(NdisStatus.NOT_SUPPORTED);
        assertThat(b.host.verifier().violations()).as("a set-only OID may refuse a query").isEmpty();
    }

    /**
     * Frames of every kind handed over with the pseudo-header sum and a zero IPv4 header checksum leave with
     * the bytes of the complete frame; three sends with the same offsets take one context descriptor.
     *
     * @param txTail the transmit ring's tail (descriptors used so far)
     * @param ringSize the transmit ring's descriptors
     */
    public static void transmit(MockMiniportBench<?> b, IntSupplier txTail, int ringSize) {
        adapter(b);
        for (int i = 0; i < KINDS.length; i++) {
            int[] k = KINDS[i];
            byte[] given = frame(k, i, false);
            b.wire.clearCaptured();
            send(b, given, request(given));
            assertThat(b.wire.captured()).as("frame %d sent", i).hasSize(1);
            assertThat(b.wire.captured().getFirst()).as("kind %d: the checksums the device inserted", i)
                    .isEqualTo(frame(k, i, true));
        }
        int before = txTail.getAsInt();
        for (int i = 0; i < 3; i++) {
            byte[] given = frame(KINDS[1], 10 + i, false);
            send(b, given, request(given));
        }
        assertThat(Math.floorMod(txTail.getAsInt() - before, ringSize)).as("one context, three data descriptors").isEqualTo(4);
        assertThat(b.host.verifier().violations()).isEmpty();
    }

    /**
     * Each kind of frame split over four MDLs, the MAC header alone and the IP header cut in two
     * (docs/ndis-contract.md §16.1): one data descriptor per piece after the context, and on the wire the
     * same bytes, with the same checksums inserted, as when the frame lies in one piece.
     */
    public static void transmitSplit(MockMiniportBench<?> b) {
        adapter(b);
        for (int i = 0; i < KINDS.length; i++) {
            byte[] given = frame(KINDS[i], i, false);
            NetBufferList nbl = b.sendPool().allocate();
            nbl.firstNetBuffer().split(0, 8, 14, 10, 16, given.length - 40);
            assertThat(nbl.firstNetBuffer().mdlCount()).isEqualTo(4);
            b.wire.clearCaptured();
            send(b, nbl, given, request(given));
            assertThat(b.wire.captured()).as("frame %d sent", i).hasSize(1);
            assertThat(b.wire.captured().getFirst()).as("kind %d in four pieces: the checksums the device inserted", i)
                    .isEqualTo(frame(KINDS[i], i, true));
        }
        assertThat(b.host.verifier().violations()).isEmpty();
    }

    /** Injected frames with good and bad checksums get the device's verdicts; a non-IP frame gets none. */
    public static void receive(MockMiniportBench<?> b, MacAddress mac) {
        adapter(b);
        byte[] v4Tcp = IpFrames.frame(mac.bytes(), SRC.bytes(), false, IpFrames.TCP, 0, 80, 1, true);
        byte[] v6Udp = IpFrames.frame(mac.bytes(), SRC.bytes(), true, IpFrames.UDP, 1, 80, 2, true);
        byte[] v6Tcp = IpFrames.frame(mac.bytes(), SRC.bytes(), true, IpFrames.TCP, 0, 80, 3, true);
        byte[] v4Udp = IpFrames.frame(mac.bytes(), SRC.bytes(), false, IpFrames.UDP, 0, 80, 4, true);
        List<byte[]> frames = List.of(v4Tcp, IpFrames.corrupt(v4Tcp, IpFrames.l4ChecksumOffset(v4Tcp)),
                IpFrames.corrupt(v4Tcp, IpFrames.ipChecksumOffset()), v6Udp,
                IpFrames.corrupt(v6Udp, IpFrames.l4ChecksumOffset(v6Udp)), v6Tcp, v4Udp,
                IpFrames.corrupt(v4Udp, IpFrames.l4ChecksumOffset(v4Udp)),
                MockMiniportBench.frame(mac, SRC, 80, 5));
        int ipOk = NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED;
        List<Integer> expected = List.of(ipOk | NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED,
                ipOk | NetBufferListInfo.RX_TCP_CHECKSUM_FAILED,
                NetBufferListInfo.RX_IP_CHECKSUM_FAILED | NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED,
                NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED, NetBufferListInfo.RX_UDP_CHECKSUM_FAILED,
                NetBufferListInfo.RX_TCP_CHECKSUM_SUCCEEDED, ipOk | NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED,
                ipOk | NetBufferListInfo.RX_UDP_CHECKSUM_FAILED, 0);
        assertThat(injectAndCollect(b, frames)).isEqualTo(expected);
    }

    /**
     * OID_TCP_OFFLOAD_PARAMETERS turning every checksum and LSOv2 off: frames leave exactly as given even when
     * an NBL asks, injected frames get no verdict, and RXCSUM reads 0.
     */
    public static void noOffload(MockMiniportBench<?> b, MacAddress mac, IntSupplier rxcsum) {
        MiniportAdapter a = adapter(b);
        int off = NdisOffloadParameters.TX_RX_DISABLED;
        byte[] p = parameters(off, off, off, off, off, NdisOffloadParameters.LSO_DISABLED);
        p[12] = (byte) NdisOffloadParameters.LSO_DISABLED;                     // LsoV2IPv6
        assertThat(b.host.set(a, Oid.TCP_OFFLOAD_PARAMETERS, p).join().status()).isEqualTo(NdisStatus.SUCCESS);
        assertThat(a.currentOffload().any()).isFalse();
        assertThat(rxcsum.getAsInt()).isZero();
        for (int i = 0; i < KINDS.length; i++) {
            byte[] given = frame(KINDS[i], i, false);
            b.wire.clearCaptured();
            send(b, given, request(given));
            assertThat(b.wire.captured().getFirst()).as("kind %d sent exactly as given", i).isEqualTo(given);
        }
        byte[] bad = IpFrames.corrupt(IpFrames.frame(mac.bytes(), SRC.bytes(), false, IpFrames.TCP, 0, 80, 1, true),
                IpFrames.ipChecksumOffset());
        assertThat(injectAndCollect(b, List.of(bad))).containsExactly(0);
    }

    /**
     * A set the hardware cannot take (LSOv1, which no nicup chip offers, with checksums off) is refused and the
     * configuration in force stays: checksums are still inserted and verdicts still given.
     */
    public static void refusedSetKeepsConfiguration(MockMiniportBench<?> b, MacAddress mac) {
        MiniportAdapter a = adapter(b);
        NdisOffload before = a.currentOffload();
        int off = NdisOffloadParameters.TX_RX_DISABLED;
        byte[] lsoV1 = parameters(off, off, off, off, off, 0);
        lsoV1[9] = (byte) NdisOffloadParameters.LSO_ENABLED;
        assertThat(b.host.set(a, Oid.TCP_OFFLOAD_PARAMETERS, lsoV1).join().status())
                .isEqualTo(NdisStatus.INVALID_DATA);
        assertThat(a.currentOffload()).isEqualTo(before);
        byte[] given = frame(KINDS[0], 1, false);
        b.wire.clearCaptured();
        send(b, given, request(given));
        assertThat(b.wire.captured().getFirst()).isEqualTo(frame(KINDS[0], 1, true));
        byte[] good = IpFrames.frame(mac.bytes(), SRC.bytes(), false, IpFrames.UDP, 0, 80, 1, true);
        assertThat(injectAndCollect(b, List.of(good))).containsExactly(NetBufferListInfo.RX_IP_CHECKSUM_SUCCEEDED
                | NetBufferListInfo.RX_UDP_CHECKSUM_SUCCEEDED);
    }

    /** The bench's running adapter, brought up if a test has not yet. */
    private static MiniportAdapter adapter(MockMiniportBench<?> b) {
        return b.adapter != null ? b.adapter : b.running();
    }

    private static byte[] frame(int[] kind, int seed, boolean complete) {
        return IpFrames.frame(MockMiniportBench.PEER.bytes(), SRC.bytes(), kind[1] == 1, kind[0], kind[2], 40 + 17 * seed,
                seed, complete);
    }

    /** The TcpIpChecksumNetBufferListInfo the transport sets for {@code f}: every checksum it carries. */
    static int request(byte[] f) {
        boolean v6 = f[12] == (byte) 0x86;
        int flags = (v6 ? NetBufferListInfo.TX_IS_IPV6 : NetBufferListInfo.TX_IS_IPV4 | NetBufferListInfo.TX_IP_HEADER_CHECKSUM)
                | (IpFrames.protocol(f) == IpFrames.TCP ? NetBufferListInfo.TX_TCP_CHECKSUM
                        : NetBufferListInfo.TX_UDP_CHECKSUM);
        int tcpOffset = IpFrames.l4ChecksumOffset(f) - 16;
        return NetBufferListInfo.checksumTransmit(flags, IpFrames.protocol(f) == IpFrames.TCP ? tcpOffset : 0);
    }

    /** Sends one frame in one NBL with {@code info} as its checksum request and waits for its completion. */
    static void send(MockMiniportBench<?> b, byte[] frame, int info) {
        send(b, b.sendPool().allocate(), frame, info);
    }

    /** Sends {@code frame} in {@code nbl}, laid over its NET_BUFFER's MDLs as they are, and waits for the completion. */
    static void send(MockMiniportBench<?> b, NetBufferList nbl, byte[] frame, int info) {
        nbl.firstNetBuffer().copyDataFrom(frame, 0, frame.length);
        nbl.setInfo(NetBufferListInfo.TCP_IP_CHECKSUM, info);
        long done = b.edge.completedOk() + b.edge.completedFailed();
        b.host.send(b.adapter, nbl, 0, 0);
        for (int i = 0; i < 1000 && b.edge.completedOk() + b.edge.completedFailed() == done; i++) {
            b.pump();
        }
        assertThat(b.edge.completedOk() + b.edge.completedFailed()).as("send completed").isEqualTo(done + 1);
    }

    private static List<Integer> injectAndCollect(MockMiniportBench<?> b, List<byte[]> frames) {
        b.injectAndIndicate(frames);
        return b.edge.receivedChecksums();
    }

    /** NDIS_OFFLOAD_PARAMETERS revision 1 with the five checksum values and LsoV2IPv4. */
    static byte[] parameters(int ipv4, int tcpIpv4, int udpIpv4, int tcpIpv6, int udpIpv6, int lsoV2Ipv4) {
        byte[] p = new byte[NdisOffloadParameters.SIZEOF_REVISION_1];
        p[0] = (byte) NdisOffloadParameters.NDIS_OBJECT_TYPE_DEFAULT;
        p[1] = 1;
        p[2] = (byte) p.length;
        p[4] = (byte) ipv4;
        p[5] = (byte) tcpIpv4;
        p[6] = (byte) udpIpv4;
        p[7] = (byte) tcpIpv6;
        p[8] = (byte) udpIpv6;
        p[11] = (byte) lsoV2Ipv4;
        return p;
    }
}
