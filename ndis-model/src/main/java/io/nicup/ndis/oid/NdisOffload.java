package io.nicup.ndis.oid;

import io.nicup.ndis.NdisObjectHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * NDIS_OFFLOAD with the members nicup models: the checksum offload (NDIS_TCP_IP_CHECKSUM_OFFLOAD) and large
 * send offload version 2 (NDIS_TCP_LARGE_SEND_OFFLOAD_V2) (docs/ndis-contract.md §9). One type serves the
 * three uses: a NIC's hardware capabilities, its default configuration (both in the offload attributes)
 * and its current configuration (NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG, OID_TCP_OFFLOAD_CURRENT_CONFIG).
 * LsoV1, IPsec and the later members are always zero: nicup offers none of them.
 *
 * <pre>
 * offset  size  member                                 (x64, revision 1 = 112 bytes, revision 2 = 144)
 *      0     4  Header {Type 0xA7, Revision, Size}
 *      4    32  Checksum: IPv4Transmit, IPv4Receive, IPv6Transmit, IPv6Receive {Encapsulation, bit fields}
 *     36    16  LsoV1 (zero)
 *     52    28  IPsecV1 (zero)
 *     80    28  LsoV2: IPv4 {Encapsulation, MaxOffLoadSize, MinSegmentCount},
 *                      IPv6 {Encapsulation, MaxOffLoadSize, MinSegmentCount, bit fields}
 *    108     4  Flags
 *    112    32  IPsecV2 (revision 2; zero)
 * </pre>
 */
public record NdisOffload(NdisObjectHeader header, Checksum checksum, LsoV2 lsoV2) {

    public static final int NDIS_OBJECT_TYPE_OFFLOAD = 0xA7;
    public static final int REVISION_1 = 1;
    public static final int REVISION_2 = 2;
    public static final int SIZEOF_REVISION_1 = 112;
    public static final int SIZEOF_REVISION_2 = 144;
    /** NDIS_ENCAPSULATION_IEEE_802_3: the only encapsulation an Ethernet miniport offers. */
    public static final int NDIS_ENCAPSULATION_IEEE_802_3 = 0x2;
    /** NDIS_ENCAPSULATION_NOT_SUPPORTED. */
    public static final int NDIS_ENCAPSULATION_NOT_SUPPORTED = 0;

    private static final int CHECKSUM = 4;
    private static final int LSO_V2 = 80;

    /** Nothing offloaded: what a NIC without checksum or LSO hardware (or without a driver for it) declares. */
    public static final NdisOffload NONE = new NdisOffload(header(REVISION_2), Checksum.NONE, LsoV2.NONE);

    /** A header of {@code revision} with its documented size. */
    public static NdisObjectHeader header(int revision) {
        return new NdisObjectHeader(NDIS_OBJECT_TYPE_OFFLOAD, revision,
                revision == REVISION_1 ? SIZEOF_REVISION_1 : SIZEOF_REVISION_2);
    }

    /**
     * One direction of one IP version of NDIS_TCP_IP_CHECKSUM_OFFLOAD: the encapsulations, and which
     * checksums the NIC computes (transmit) or validates (receive). For IPv6, {@code ipOptions} is
     * IpExtensionHeadersSupported and {@code ipChecksum} is always false (IPv6 has no header checksum).
     */
    public record Direction(int encapsulation, boolean ipOptions, boolean tcpOptions, boolean tcpChecksum,
            boolean udpChecksum, boolean ipChecksum) {

        public static final Direction NONE = new Direction(NDIS_ENCAPSULATION_NOT_SUPPORTED, false, false, false,
                false, false);

        boolean any() {
            return tcpChecksum || udpChecksum || ipChecksum;
        }

        /** The 2-bit fields: IpOptions (bits 0-1), TcpOptions (2-3), Tcp (4-5), Udp (6-7), Ip (8-9). */
        int bits() {
            return (ipOptions ? 1 : 0) | (tcpOptions ? 1 << 2 : 0) | (tcpChecksum ? 1 << 4 : 0)
                    | (udpChecksum ? 1 << 6 : 0) | (ipChecksum ? 1 << 8 : 0);
        }

        void problemsAgainst(Direction hw, String name, List<String> p) {
            if ((encapsulation & ~hw.encapsulation) != 0) {
                p.add(name + ".Encapsulation=0x" + Integer.toHexString(encapsulation) + " hardware=0x"
                        + Integer.toHexString(hw.encapsulation));
            }
            flag(ipOptions, hw.ipOptions, name + ".IpOptions", p);
            flag(tcpOptions, hw.tcpOptions, name + ".TcpOptionsSupported", p);
            flag(tcpChecksum, hw.tcpChecksum, name + ".TcpChecksum", p);
            flag(udpChecksum, hw.udpChecksum, name + ".UdpChecksum", p);
            flag(ipChecksum, hw.ipChecksum, name + ".IpChecksum", p);
        }
    }

    /** NDIS_TCP_IP_CHECKSUM_OFFLOAD. */
    public record Checksum(Direction ipv4Transmit, Direction ipv4Receive, Direction ipv6Transmit,
            Direction ipv6Receive) {

        public static final Checksum NONE = new Checksum(Direction.NONE, Direction.NONE, Direction.NONE, Direction.NONE);
    }

    /** One IP version of NDIS_TCP_LARGE_SEND_OFFLOAD_V2 (for IPv4 the two option flags are unused). */
    public record Lso(int encapsulation, int maxOffLoadSize, int minSegmentCount, boolean ipExtensionHeaders,
            boolean tcpOptions) {

        public static final Lso NONE = new Lso(NDIS_ENCAPSULATION_NOT_SUPPORTED, 0, 0, false, false);

        boolean enabled() {
            return encapsulation != NDIS_ENCAPSULATION_NOT_SUPPORTED;
        }

        void problemsAgainst(Lso hw, String name, List<String> p) {
            if (!enabled()) {
                return;
            }
            if (!hw.enabled() || (encapsulation & ~hw.encapsulation) != 0) {
                p.add(name + ".Encapsulation=0x" + Integer.toHexString(encapsulation) + " hardware=0x"
                        + Integer.toHexString(hw.encapsulation));
            }
            if (maxOffLoadSize > hw.maxOffLoadSize) {
                p.add(name + ".MaxOffLoadSize=" + maxOffLoadSize + " hardware=" + hw.maxOffLoadSize);
            }
            if (minSegmentCount < hw.minSegmentCount) {
                p.add(name + ".MinSegmentCount=" + minSegmentCount + " hardware=" + hw.minSegmentCount);
            }
            flag(ipExtensionHeaders, hw.ipExtensionHeaders, name + ".IpExtensionHeadersSupported", p);
            flag(tcpOptions, hw.tcpOptions, name + ".TcpOptionsSupported", p);
        }
    }

    /** NDIS_TCP_LARGE_SEND_OFFLOAD_V2. */
    public record LsoV2(Lso ipv4, Lso ipv6) {

        public static final LsoV2 NONE = new LsoV2(Lso.NONE, Lso.NONE);
    }

    /** True when anything at all is offloaded. */
    public boolean any() {
        return checksum.ipv4Transmit.any() || checksum.ipv4Receive.any() || checksum.ipv6Transmit.any()
                || checksum.ipv6Receive.any() || lsoV2.ipv4.enabled() || lsoV2.ipv6.enabled();
    }

    /** The same offloads under another header (a structure filled in with a wrong revision, for one). */
    public NdisOffload withHeader(NdisObjectHeader value) {
        return new NdisOffload(value, checksum, lsoV2);
    }

    /** What the header gets wrong: type, a revision nicup does not know, a size short of the revision's. */
    public String headerProblem() {
        if (header.type() != NDIS_OBJECT_TYPE_OFFLOAD) {
            return "NDIS_OFFLOAD Header.Type=0x" + Integer.toHexString(header.type()) + " expected=0xa7";
        }
        if (header.revision() != REVISION_1 && header.revision() != REVISION_2) {
            return "NDIS_OFFLOAD Header.Revision=" + header.revision() + " known=1,2";
        }
        int needed = header.revision() == REVISION_1 ? SIZEOF_REVISION_1 : SIZEOF_REVISION_2;
        if (header.size() < needed) {
            return "NDIS_OFFLOAD Header.Size=" + header.size() + " revision " + header.revision() + " needs " + needed;
        }
        return null;
    }

    /**
     * Every offload this configuration enables that {@code hardware} does not offer (a default or current
     * configuration must lie within the hardware capabilities); empty when it does.
     */
    public List<String> outside(NdisOffload hardware) {
        List<String> p = new ArrayList<>();
        checksum.ipv4Transmit.problemsAgainst(hardware.checksum.ipv4Transmit, "Checksum.IPv4Transmit", p);
        checksum.ipv4Receive.problemsAgainst(hardware.checksum.ipv4Receive, "Checksum.IPv4Receive", p);
        checksum.ipv6Transmit.problemsAgainst(hardware.checksum.ipv6Transmit, "Checksum.IPv6Transmit", p);
        checksum.ipv6Receive.problemsAgainst(hardware.checksum.ipv6Receive, "Checksum.IPv6Receive", p);
        lsoV2.ipv4.problemsAgainst(hardware.lsoV2.ipv4, "LsoV2.IPv4", p);
        lsoV2.ipv6.problemsAgainst(hardware.lsoV2.ipv6, "LsoV2.IPv6", p);
        return p;
    }

    /** Writes the structure at {@code offset} ({@link #header()}'s size bytes; the rest zero). */
    public void write(MemorySegment buffer, long offset) {
        buffer.asSlice(offset, header.size()).fill((byte) 0);
        buffer.set(ValueLayout.JAVA_BYTE, offset, (byte) header.type());
        buffer.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) header.revision());
        buffer.set(NdisOidRequest.USHORT, offset + 2, (short) header.size());
        Direction[] d = {checksum.ipv4Transmit, checksum.ipv4Receive, checksum.ipv6Transmit, checksum.ipv6Receive};
        for (int i = 0; i < d.length; i++) {
            buffer.set(NdisOidRequest.ULONG, offset + CHECKSUM + 8L * i, d[i].encapsulation);
            buffer.set(NdisOidRequest.ULONG, offset + CHECKSUM + 8L * i + 4, d[i].bits());
        }
        writeLso(buffer, offset + LSO_V2, lsoV2.ipv4, false);
        writeLso(buffer, offset + LSO_V2 + 12, lsoV2.ipv6, true);
    }

    private static void writeLso(MemorySegment buffer, long at, Lso lso, boolean ipv6) {
        buffer.set(NdisOidRequest.ULONG, at, lso.encapsulation);
        buffer.set(NdisOidRequest.ULONG, at + 4, lso.maxOffLoadSize);
        buffer.set(NdisOidRequest.ULONG, at + 8, lso.minSegmentCount);
        if (ipv6) {
            buffer.set(NdisOidRequest.ULONG, at + 12, (lso.ipExtensionHeaders ? 1 : 0) | (lso.tcpOptions ? 1 << 2 : 0));
        }
    }

    private static void flag(boolean enabled, boolean offered, String name, List<String> p) {
        if (enabled && !offered) {
            p.add(name + "=on hardware=off");
        }
    }
}
