package io.nicup.ndis.oid;

import io.nicup.ndis.NdisStatus;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * NDIS_OFFLOAD_PARAMETERS, the buffer of an OID_TCP_OFFLOAD_PARAMETERS set, applied to the offload
 * configuration in force (docs/ndis-contract.md §9).
 *
 * <pre>
 * offset size member                           (revision 1 = 20 bytes; later revisions append)
 *      0    4 Header {Type 0x80 (NDIS_OBJECT_TYPE_DEFAULT), Revision, Size}
 *      4    1 IPv4Checksum      checksum values: 0 no change, 1 Tx and Rx off, 2 Tx on Rx off,
 *      5    1 TCPIPv4Checksum                    3 Rx on Tx off, 4 Tx and Rx on
 *      6    1 UDPIPv4Checksum
 *      7    1 TCPIPv6Checksum
 *      8    1 UDPIPv6Checksum
 *      9    1 LsoV1             0 no change, 1 off, 2 on
 *     10    1 IPsecV1           0 no change, 1 off, 2 on (AH), 3 ESP, 4 AH and ESP
 *     11    1 LsoV2IPv4         0 no change, 1 off, 2 on
 *     12    1 LsoV2IPv6
 *     13    1 TcpConnectionIPv4 0 no change, 1 off, 2 on
 *     14    1 TcpConnectionIPv6
 *     16    4 Flags
 * </pre>
 */
public final class NdisOffloadParameters {

    public static final int NDIS_OBJECT_TYPE_DEFAULT = 0x80;
    public static final int SIZEOF_REVISION_1 = 20;
    public static final int NO_CHANGE = 0;
    public static final int TX_RX_DISABLED = 1;
    public static final int TX_ENABLED_RX_DISABLED = 2;
    public static final int RX_ENABLED_TX_DISABLED = 3;
    public static final int TX_RX_ENABLED = 4;
    public static final int LSO_DISABLED = 1;
    public static final int LSO_ENABLED = 2;

    /** The outcome: the new configuration (maybe the same), or the status refusing it and why. */
    public record Outcome(int status, int bytesNeeded, NdisOffload configuration, String reason) {
    }

    private NdisOffloadParameters() {
    }

    /**
     * The configuration {@code current} becomes under the set in {@code b}, within {@code hardware};
     * INVALID_LENGTH for a short buffer, INVALID_DATA for a bad header or value or for turning on what the
     * hardware lacks (nicup's choice of status), the configuration in force unchanged then.
     */
    public static Outcome apply(MemorySegment b, NdisOffload current, NdisOffload hardware) {
        if (b.byteSize() < SIZEOF_REVISION_1) {
            return new Outcome(NdisStatus.INVALID_LENGTH, SIZEOF_REVISION_1, current, "length=" + b.byteSize());
        }
        int type = b.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
        int revision = b.get(ValueLayout.JAVA_BYTE, 1) & 0xFF;
        if (type != NDIS_OBJECT_TYPE_DEFAULT || revision < 1) {
            return refused(current, "Header.Type=0x" + Integer.toHexString(type) + " Revision=" + revision);
        }
        int[] v = new int[11];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.get(ValueLayout.JAVA_BYTE, 4 + i) & 0xFF;
            // the five checksums and IPsecV1 take 0-4; LsoV1, the LSOv2 pair and the connection pair 0-2
            int max = i < 5 || i == 6 ? 4 : 2;
            if (v[i] > max) {
                return refused(current, "field " + (4 + i) + "=" + v[i] + " max=" + max);
            }
        }
        if (v[5] == LSO_ENABLED || v[6] >= 2 || v[9] == LSO_ENABLED || v[10] == LSO_ENABLED) {
            return refused(current, "LsoV1, IPsecV1 or TCP connection offload asked for: nicup offers none");
        }
        NdisOffload.Checksum c = current.checksum();
        NdisOffload.Checksum hw = hardware.checksum();
        NdisOffload.Direction v4tx = c.ipv4Transmit();
        NdisOffload.Direction v4rx = c.ipv4Receive();
        NdisOffload.Direction v6tx = c.ipv6Transmit();
        NdisOffload.Direction v6rx = c.ipv6Receive();
        // IPv4Checksum, TCPIPv4Checksum, UDPIPv4Checksum
        v4tx = with(v4tx, hw.ipv4Transmit(), v[0], v[1], v[2], true);
        v4rx = with(v4rx, hw.ipv4Receive(), v[0], v[1], v[2], false);
        v6tx = with(v6tx, hw.ipv6Transmit(), NO_CHANGE, v[3], v[4], true);
        v6rx = with(v6rx, hw.ipv6Receive(), NO_CHANGE, v[3], v[4], false);
        NdisOffload.Lso lso4 = lso(current.lsoV2().ipv4(), hardware.lsoV2().ipv4(), v[7]);
        NdisOffload.Lso lso6 = lso(current.lsoV2().ipv6(), hardware.lsoV2().ipv6(), v[8]);
        NdisOffload next = new NdisOffload(current.header(), new NdisOffload.Checksum(v4tx, v4rx, v6tx, v6rx),
                new NdisOffload.LsoV2(lso4, lso6));
        java.util.List<String> outside = next.outside(hardware);
        if (!outside.isEmpty()) {
            return refused(current, "asks for what the hardware lacks: " + outside);
        }
        return new Outcome(NdisStatus.SUCCESS, 0, next, null);
    }

    private static Outcome refused(NdisOffload current, String reason) {
        return new Outcome(NdisStatus.INVALID_DATA, 0, current, reason);
    }

    /** One direction with the three checksum settings applied (each NO_CHANGE or 1-4). */
    private static NdisOffload.Direction with(NdisOffload.Direction d, NdisOffload.Direction hw, int ip, int tcp,
            int udp, boolean transmit) {
        boolean ipOn = on(ip, d.ipChecksum(), transmit);
        boolean tcpOn = on(tcp, d.tcpChecksum(), transmit);
        boolean udpOn = on(udp, d.udpChecksum(), transmit);
        boolean any = ipOn || tcpOn || udpOn;
        return new NdisOffload.Direction(any ? hw.encapsulation() : NdisOffload.NDIS_ENCAPSULATION_NOT_SUPPORTED,
                any && hw.ipOptions(), tcpOn && hw.tcpOptions(), tcpOn, udpOn, ipOn);
    }

    private static boolean on(int setting, boolean now, boolean transmit) {
        return switch (setting) {
            case TX_RX_DISABLED -> false;
            case TX_ENABLED_RX_DISABLED -> transmit;
            case RX_ENABLED_TX_DISABLED -> !transmit;
            case TX_RX_ENABLED -> true;
            default -> now;
        };
    }

    private static NdisOffload.Lso lso(NdisOffload.Lso now, NdisOffload.Lso hw, int setting) {
        return switch (setting) {
            case LSO_DISABLED -> NdisOffload.Lso.NONE;
            case LSO_ENABLED -> hw.enabled() ? hw : new NdisOffload.Lso(NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3,
                    0, 0, false, false);
            default -> now;
        };
    }
}
