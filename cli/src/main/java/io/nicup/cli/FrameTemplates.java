package io.nicup.cli;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.core.InternetChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What {@link FrameGenerator} builds once per run, and the per-frame fields it writes (docs/ndis-contract.md
 * §20). Frame {@code seq} of {@link GeneratedFrames} is, byte for byte:
 * <pre>
 *  0        l3 = 14 (+4 tagged)     l4            payload        payload+4                  length
 *  +--------+----------------------+-------------+--------------+--------------------------+
 *  | dst src [802.1Q] ethertype    | IPv4/IPv6   | UDP/TCP      | seq (BE, cut | ramp: byte i is          |
 *  |   constant per run            | ID = seq    | sport, tseq  |  at length)  | (seq * 31 + i) &amp; 0xFF    |
 *  +--------+----------------------+-------------+--------------+--------------------------+
 * </pre>
 * The header template of each size holds everything but the per-frame fields (IPv4 Identification,
 * source port {@code 49152 + seq % flows}, TCP sequence number {@code seq << 16}, the payload's sequence
 * field) and the checksums that cover them. The ramp depends on {@code seq} only through
 * {@code seq * 31 mod 256}, i.e. on {@code seq mod 256}: so two frames with the same size index and the
 * same {@code seq mod 256} differ only in the per-frame fields, and one is patched into the other.
 */
final class FrameTemplates {

    // the layouts made once: withOrder makes a new layout (and the access a new VarHandle) on every call
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    /** {@code RAMP[x] = x & 0xFF}: the payload of a frame at phase {@code p} is {@code RAMP[p + i]} at offset i. */
    private static final MemorySegment RAMP = ramp(256 + SendOffload.MAX_LSO_FRAME);

    private final GeneratedFrames g;
    private final int[] sizes;
    /** Per size index: the frame's bytes up to the payload, for sequence number 0. */
    private final byte[][] headers;
    private final int l3;
    private final int l4;
    private final int payload;
    private final boolean ip;
    private final boolean ipv4;
    private final boolean tcp;
    private final boolean software;
    private final boolean large;
    private final int protocol;

    FrameTemplates(GeneratedFrames g, MacAddress src) {
        this.g = g;
        this.sizes = g.sizes().sizes().clone();
        GeneratedFrames.Proto proto = g.proto();
        this.l3 = Traffic.ETHERNET_HEADER + (g.vlan() == null ? 0 : GeneratedFrames.Vlan.TAG);
        this.payload = l3 + proto.headers;
        this.ip = proto != GeneratedFrames.Proto.RAW;
        this.ipv4 = ip && !proto.ipv6();
        this.tcp = proto.tcp();
        this.l4 = ip ? l3 + (proto.ipv6() ? 40 : 20) : payload;
        this.software = g.checksums() == IpHeaders.Checksums.SOFTWARE;
        this.large = g.checksums() == IpHeaders.Checksums.LARGE_SEND;
        this.protocol = tcp ? IpHeaders.TCP : IpHeaders.UDP;
        this.headers = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            headers[i] = header(g, src, sizes[i]);
        }
    }

    /** The Ethernet header (and tag), the IP and transport headers of a {@code length}-byte frame 0. */
    private byte[] header(GeneratedFrames g, MacAddress src, int length) {
        byte[] f = new byte[length];
        System.arraycopy(g.dst().bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        int at = 12;
        if (g.vlan() != null) {
            IpHeaders.putShort(f, at, 0x8100);
            IpHeaders.putShort(f, at + 2, g.vlan().pcp() << 13 | g.vlan().id());
            at += GeneratedFrames.Vlan.TAG;
        }
        IpHeaders.putShort(f, at, ip ? g.proto().ethertype : 0x88B5);
        if (ip) {
            IpHeaders.write(f, l3, g.proto().ipv6(), protocol, GeneratedFrames.FIRST_SOURCE_PORT,
                    GeneratedFrames.DESTINATION_PORT, 0, 0, g.checksums());
        }
        return java.util.Arrays.copyOf(f, payload);
    }

    private static MemorySegment ramp(int length) {
        byte[] r = new byte[length];
        for (int i = 0; i < length; i++) {
            r[i] = (byte) i;
        }
        return MemorySegment.ofArray(r);
    }

    int length(int seq) {
        return sizes[seq % sizes.length];
    }

    /** Same size and same payload ramp: frame {@code seq} is frame {@code held} with its per-frame fields changed. */
    boolean sameShape(int held, int seq) {
        return held % sizes.length == seq % sizes.length && ((held ^ seq) & 0xFF) == 0;
    }

    /** Writes frame {@code seq} ({@code length} bytes) at {@code at}: template, ramp, fields, checksums. */
    void build(MemorySegment buf, long at, int length, int seq) {
        MemorySegment.copy(headers[seq % sizes.length], 0, buf, ValueLayout.JAVA_BYTE, at, payload);
        MemorySegment.copy(RAMP, (seq * 31 + payload) & 0xFF, buf, at + payload, length - payload);
        putSequenceField(buf, at + payload, length - payload, seq);
        if (!ip) {
            return;
        }
        buf.set(BE16, at + l4, (short) port(seq));
        if (tcp) {
            buf.set(BE16, at + l4 + 4, (short) seq);          // seq << 16: the high word; the low one stays 0
        }
        if (ipv4) {
            buf.set(BE16, at + l3 + 4, (short) seq);
            if (!large) {
                buf.set(BE16, at + l3 + 10, (short) 0);
                InternetChecksum.putWord(buf, at + l3 + 10, InternetChecksum.checksum(InternetChecksum.add(buf, at + l3, 20, 0)));
            }
        }
        if (software) {
            long field = at + l4 + (tcp ? 16 : 6);
            buf.set(BE16, field, (short) 0);
            long pseudo = ipv4 ? InternetChecksum.add(buf, at + l3 + 12, 8, protocol + (length - l4))
                    : InternetChecksum.add(buf, at + l3 + 8, 32, protocol + (length - l4));
            int sum = InternetChecksum.checksum(InternetChecksum.add(buf, at + l4, length - l4, pseudo));
            InternetChecksum.putWord(buf, field, transportChecksum(sum));
        }
    }

    /**
     * Frame {@code seq} over frame {@code held} of the same shape at {@code at}: the per-frame fields
     * rewritten, each checksum updated from the words it covers that changed (RFC 1624 eqn. 3,
     * {@code HC' = ~(~HC + ~m + m')}).
     */
    void patch(MemorySegment buf, long at, int length, int held, int seq) {
        long payloadAt = at + payload;
        int room = length - payload;
        if (!ip) {
            putSequenceField(buf, payloadAt, room, seq);
            return;
        }
        long delta = replaceSequenceField(buf, payloadAt, room, seq);
        delta += replace(buf, at + l4, port(seq));
        if (tcp) {
            delta += replace(buf, at + l4 + 4, seq & 0xFFFF);
        }
        if (ipv4) {
            long id = replace(buf, at + l3 + 4, seq & 0xFFFF);
            if (!large) {
                updateChecksum(buf, at + l3 + 10, id, false);
            }
        }
        if (software) {
            updateChecksum(buf, at + l4 + (tcp ? 16 : 6), delta, !tcp);
        }
    }

    private int port(int seq) {
        return GeneratedFrames.FIRST_SOURCE_PORT + seq % g.flows();
    }

    /** UDP sends a computed 0 as 0xFFFF (0 means "no checksum" over IPv4, is forbidden over IPv6, RFC 8200 8.1). */
    private int transportChecksum(int sum) {
        return !tcp && sum == 0 ? 0xFFFF : sum;
    }

    /** The checksum at {@code field} after words changed by {@code delta} (the sum of {@code ~m + m'}). */
    private void updateChecksum(MemorySegment buf, long field, long delta, boolean udp) {
        int hc = InternetChecksum.word(buf, field);
        int sum = InternetChecksum.fold((~hc & 0xFFFF) + delta);
        // the data's sum is never zero (the protocol is in it): its ones'-complement value is 1..0xFFFF,
        // as the full computation gives it, also where the end-around carry left 0 (all changes cancelling)
        int checksum = ~(sum == 0 ? 0xFFFF : sum) & 0xFFFF;
        InternetChecksum.putWord(buf, field, udp && checksum == 0 ? 0xFFFF : checksum);
    }

    /** Writes {@code value} at {@code at} and returns {@code ~old + new}, the word's share of the update. */
    private static long replace(MemorySegment buf, long at, int value) {
        int old = InternetChecksum.word(buf, at);
        InternetChecksum.putWord(buf, at, value);
        return (~old & 0xFFFF) + value;
    }

    /** The sequence field (big-endian, as much as fits in {@code room}) and its words' share of the update. */
    private static long replaceSequenceField(MemorySegment buf, long at, int room, int seq) {
        int bytes = Math.min(4, room);
        long before = InternetChecksum.add(buf, at, bytes, 0);
        putSequenceField(buf, at, room, seq);
        long after = InternetChecksum.add(buf, at, bytes, 0);
        // each word w -> w' adds ~w + w' = 0xFFFF - w + w' (a last odd byte is a word padded with zero)
        return (bytes + 1) / 2 * 0xFFFFL - before + after;
    }

    private static void putSequenceField(MemorySegment buf, long at, int room, int seq) {
        if (room >= 4) {
            buf.set(BE32, at, seq);
            return;
        }
        for (int i = 0; i < room; i++) {
            buf.set(ValueLayout.JAVA_BYTE, at + i, (byte) (seq >>> (24 - 8 * i)));
        }
    }
}
