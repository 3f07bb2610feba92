package io.nicup.cli;

import io.nicup.ndis.MacAddress;

/**
 * Frame {@code seq} of a {@code send} run built whole, as {@code send} built every frame before the
 * traffic generator ({@link FrameGenerator}, docs/ndis-contract.md §20): the definition of the bytes the
 * wire must see, which the generator's built and patched frames are compared with.
 */
final class ReferenceFrames {

    private ReferenceFrames() {
    }

    /** Frame {@code seq} of {@code g} from {@code src}; raw untagged frames are exactly {@link Traffic#frame}'s. */
    static byte[] frame(GeneratedFrames g, MacAddress src, int seq) {
        int length = g.sizes().at(seq);
        GeneratedFrames.Proto proto = g.proto();
        if (proto == GeneratedFrames.Proto.RAW && g.vlan() == null) {
            return Traffic.frame(g.dst(), src, length, seq);
        }
        byte[] f = new byte[length];
        System.arraycopy(g.dst().bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        int at = 12;
        if (g.vlan() != null) {
            IpHeaders.putShort(f, at, 0x8100);
            IpHeaders.putShort(f, at + 2, g.vlan().pcp() << 13 | g.vlan().id());
            at += GeneratedFrames.Vlan.TAG;
        }
        IpHeaders.putShort(f, at, proto == GeneratedFrames.Proto.RAW ? 0x88B5 : proto.ethertype);
        at += 2;
        int l3 = at;
        int payload = l3 + proto.headers;
        for (int i = payload; i < length; i++) {
            f[i] = (byte) (seq * 31 + i);
        }
        for (int i = 0; i < 4 && payload + i < length; i++) {
            f[payload + i] = (byte) (seq >>> (24 - 8 * i));
        }
        int port = GeneratedFrames.FIRST_SOURCE_PORT + seq % g.flows();
        if (proto != GeneratedFrames.Proto.RAW) {
            // the TCP sequence number: 64 KiB apart per frame, so no two frames of a run overlap
            IpHeaders.write(f, l3, proto.ipv6(), proto.tcp() ? IpHeaders.TCP : IpHeaders.UDP, port,
                    GeneratedFrames.DESTINATION_PORT, seq, (long) seq << 16, g.checksums());
        }
        return f;
    }
}
