package io.nicup.cli;

import io.nicup.ndis.MacAddress;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;

/**
 * The frames {@code send} generates: {@code count} frames to {@code dst}, frame i of {@code sizes[i % n]}
 * bytes, raw (ethertype 0x88B5, today's frames) or IPv4/IPv6 UDP over {@code flows} flows (the UDP source
 * port varies per flow), optionally 802.1Q-tagged. Addresses come from the benchmarking ranges
 * (198.18.0.0/15, RFC 2544; 2001:2::/48, RFC 5180), so the frames mean nothing to a production network.
 */
record GeneratedFrames(MacAddress dst, int count, FrameSizes sizes, Proto proto, int flows, Vlan vlan) {

    /** What the frames carry. */
    enum Proto {
        RAW(0, 0), UDP4(20 + 8, 0x0800), UDP6(40 + 8, 0x86DD);

        final int headers;
        final int ethertype;

        Proto(int headers, int ethertype) {
            this.headers = headers;
            this.ethertype = ethertype;
        }

        static Proto parse(String text) {
            for (Proto p : values()) {
                if (p.name().equalsIgnoreCase(text)) {
                    return p;
                }
            }
            throw new CliException(ExitCode.USAGE, "invalid --proto '" + text + "'", "give udp4, udp6 or raw");
        }
    }

    /** An 802.1Q tag: VLAN ID 0..4094 (4095 is reserved), priority code point 0..7. */
    record Vlan(int id, int pcp) {
        static final int TAG = 4;

        static Vlan parse(String text) {
            String[] parts = text.split(":", -1);
            try {
                if (parts.length <= 2) {
                    int id = Integer.parseInt(parts[0]);
                    int pcp = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
                    if (id >= 0 && id <= 4094 && pcp >= 0 && pcp <= 7) {
                        return new Vlan(id, pcp);
                    }
                }
            } catch (NumberFormatException e) {
                // reported below, as any other malformed tag
            }
            throw new CliException(ExitCode.USAGE, "invalid --vlan '" + text + "'",
                    "give ID[:PCP] with ID 0..4094 (4095 is reserved) and PCP 0..7");
        }
    }

    /** UDP source ports start here (the dynamic range, RFC 6335); the destination is the discard port. */
    static final int FIRST_SOURCE_PORT = 49152;
    static final int DESTINATION_PORT = 9;
    static final int MAX_FLOWS = 65536 - FIRST_SOURCE_PORT;
    private static final byte[] SRC_IP4 = {(byte) 198, 18, 0, 1};
    private static final byte[] DST_IP4 = {(byte) 198, 19, 0, 1};
    private static final byte[] SRC_IP6 = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    private static final byte[] DST_IP6 = {0x20, 0x01, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    /** Checks what can be checked before the device is touched: the headers fit every size, --flows fits. */
    GeneratedFrames {
        if (flows > 1 && proto == Proto.RAW) {
            throw new CliException(ExitCode.USAGE, "--flows needs --proto udp4 or udp6: flows=" + flows,
                    "add --proto udp4 or udp6, or drop --flows");
        }
        Traffic.bounded("--flows", flows, 1, MAX_FLOWS);
        int min = minSize(proto, vlan);
        if (sizes.min() < min) {
            throw new CliException(ExitCode.USAGE, "--size too small for the headers: size=" + sizes.min() + " min=" + min
                    + " proto=" + proto.name().toLowerCase(java.util.Locale.ROOT) + (vlan == null ? "" : " vlan=" + vlan.id()),
                    "give frames of at least " + min + " bytes");
        }
    }

    /** The smallest frame that holds the headers: Ethernet (and tag), then IP and UDP. */
    static int minSize(Proto proto, Vlan vlan) {
        return Traffic.ETHERNET_HEADER + (vlan == null ? 0 : Vlan.TAG) + proto.headers;
    }

    /**
     * The frames as a list that makes each one when asked: memory stays bounded whatever {@code --count}
     * and {@code --size} say (10 000 000 jumbo frames would otherwise need 90 GB).
     */
    List<byte[]> frames(MacAddress src) {
        return new AbstractList<>() {
            @Override
            public byte[] get(int index) {
                Objects.checkIndex(index, count);
                return frame(src, index);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** The bytes of the first {@code frames} frames. */
    long bytes(long frames) {
        return sizes.bytes(frames);
    }

    /** Frame {@code seq}; raw untagged frames are exactly {@link Traffic#frame}'s. */
    byte[] frame(MacAddress src, int seq) {
        int length = sizes.at(seq);
        if (proto == Proto.RAW && vlan == null) {
            return Traffic.frame(dst, src, length, seq);
        }
        byte[] f = new byte[length];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        int at = 12;
        if (vlan != null) {
            putShort(f, at, 0x8100);
            putShort(f, at + 2, vlan.pcp() << 13 | vlan.id());
            at += Vlan.TAG;
        }
        putShort(f, at, proto == Proto.RAW ? 0x88B5 : proto.ethertype);
        at += 2;
        int l3 = at;
        int payload = l3 + proto.headers;
        for (int i = payload; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        for (int i = 0; i < 4 && payload + i < length; i++) {
            f[payload + i] = (byte) (seq >>> (24 - 8 * i));
        }
        int port = FIRST_SOURCE_PORT + seq % flows;
        switch (proto) {
            case UDP4 -> ipv4Udp(f, l3, seq, port);
            case UDP6 -> ipv6Udp(f, l3, port);
            case RAW -> { }
        }
        return f;
    }

    private static void ipv4Udp(byte[] f, int ip, int seq, int port) {
        int udp = ip + 20;
        f[ip] = 0x45;                                   // version 4, 5 words of header
        putShort(f, ip + 2, f.length - ip);             // total length
        putShort(f, ip + 4, seq & 0xFFFF);              // identification
        putShort(f, ip + 6, 0x4000);                    // don't fragment
        f[ip + 8] = 64;                                 // TTL
        f[ip + 9] = 17;                                 // UDP
        System.arraycopy(SRC_IP4, 0, f, ip + 12, 4);
        System.arraycopy(DST_IP4, 0, f, ip + 16, 4);
        putShort(f, ip + 10, ~InternetChecksum.sum(f, ip, 20, 0) & 0xFFFF);
        udpHeader(f, udp, port);
        long pseudo = InternetChecksum.sum(f, ip + 12, 8, 17 + (f.length - udp));
        putShort(f, udp + 6, udpChecksum(f, udp, pseudo));
    }

    private static void ipv6Udp(byte[] f, int ip, int port) {
        int udp = ip + 40;
        f[ip] = 0x60;                                   // version 6, traffic class 0, flow label 0
        putShort(f, ip + 4, f.length - udp);            // payload length
        f[ip + 6] = 17;                                 // next header: UDP
        f[ip + 7] = 64;                                 // hop limit
        System.arraycopy(SRC_IP6, 0, f, ip + 8, 16);
        System.arraycopy(DST_IP6, 0, f, ip + 24, 16);
        udpHeader(f, udp, port);
        long pseudo = InternetChecksum.sum(f, ip + 8, 32, 17 + (f.length - udp));
        putShort(f, udp + 6, udpChecksum(f, udp, pseudo));
    }

    private static void udpHeader(byte[] f, int udp, int port) {
        putShort(f, udp, port);
        putShort(f, udp + 2, DESTINATION_PORT);
        putShort(f, udp + 4, f.length - udp);
    }

    /** A computed zero is sent as 0xFFFF: zero means "no checksum" in IPv4 and is forbidden in IPv6 (RFC 8200 8.1). */
    private static int udpChecksum(byte[] f, int udp, long pseudo) {
        int sum = ~InternetChecksum.sum(f, udp, f.length - udp, pseudo) & 0xFFFF;
        return sum == 0 ? 0xFFFF : sum;
    }

    private static void putShort(byte[] f, int at, int value) {
        f[at] = (byte) (value >>> 8);
        f[at + 1] = (byte) value;
    }
}
