package io.nicup.cli;

import io.nicup.ndis.MacAddress;

/**
 * The frames {@code send} generates: {@code count} frames to {@code dst}, frame i of {@code sizes[i % n]}
 * bytes, raw (ethertype 0x88B5, today's frames) or IPv4/IPv6 UDP or TCP over {@code flows} flows (the
 * source port varies per flow), optionally 802.1Q-tagged, with their checksums computed here or left to
 * the NIC ({@link IpHeaders}). Addresses come from the benchmarking ranges (198.18.0.0/15, RFC 2544;
 * 2001:2::/48, RFC 5180), so the frames mean nothing to a production network.
 *
 * @param checksums who computes the checksums (SOFTWARE for raw frames)
 * @param mss with {@link IpHeaders.Checksums#LARGE_SEND}, the MSS each frame is cut into; else 0
 */
record GeneratedFrames(MacAddress dst, int count, FrameSizes sizes, Proto proto, int flows, Vlan vlan,
        IpHeaders.Checksums checksums, int mss) {

    /** What the frames carry. */
    enum Proto {
        RAW(0, 0), UDP4(20 + 8, 0x0800), UDP6(40 + 8, 0x86DD), TCP4(20 + 20, 0x0800), TCP6(40 + 20, 0x86DD);

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
            throw new CliException(ExitCode.USAGE, "invalid --proto '" + text + "'", "give udp4, udp6, tcp4, tcp6 or raw");
        }

        boolean ipv6() {
            return this == UDP6 || this == TCP6;
        }

        boolean tcp() {
            return this == TCP4 || this == TCP6;
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

    /** Checks what can be checked before the device is touched: the headers fit every size, --flows fits. */
    GeneratedFrames {
        if (flows > 1 && proto == Proto.RAW) {
            throw new CliException(ExitCode.USAGE, "--flows needs --proto udp4, udp6, tcp4 or tcp6: flows=" + flows,
                    "add --proto udp4, udp6, tcp4 or tcp6, or drop --flows");
        }
        if (checksums != IpHeaders.Checksums.SOFTWARE && proto == Proto.RAW) {
            throw new CliException(ExitCode.USAGE, "--csum-offload on and --lso need --proto udp4, udp6, tcp4 or tcp6",
                    "add --proto, or drop --csum-offload on / --lso");
        }
        if (checksums == IpHeaders.Checksums.LARGE_SEND && !proto.tcp()) {
            throw new CliException(ExitCode.USAGE, "--lso needs --proto tcp4 or tcp6: proto="
                    + proto.name().toLowerCase(java.util.Locale.ROOT), "add --proto tcp4 or tcp6, or drop --lso");
        }
        Traffic.bounded("--flows", flows, 1, MAX_FLOWS);
        int min = minSize(proto, vlan);
        if (sizes.min() < min) {
            throw new CliException(ExitCode.USAGE, "--size too small for the headers: size=" + sizes.min() + " min=" + min
                    + " proto=" + proto.name().toLowerCase(java.util.Locale.ROOT) + (vlan == null ? "" : " vlan=" + vlan.id()),
                    "give frames of at least " + min + " bytes");
        }
    }

    /** Where the transport header starts: behind the Ethernet header, the tag and the IP header. */
    int transportOffset() {
        return Traffic.ETHERNET_HEADER + (vlan == null ? 0 : Vlan.TAG) + proto.headers
                - (proto.tcp() ? IpHeaders.TCP_HEADER : IpHeaders.UDP_HEADER);
    }

    /** The smallest frame that holds the headers: Ethernet (and tag), then IP and UDP or TCP. */
    static int minSize(Proto proto, Vlan vlan) {
        return Traffic.ETHERNET_HEADER + (vlan == null ? 0 : Vlan.TAG) + proto.headers;
    }

    /** The bytes of the first {@code frames} frames. */
    long bytes(long frames) {
        return sizes.bytes(frames);
    }
}
