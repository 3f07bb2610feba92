package io.nicup.mock.intel;

/**
 * Checksum offload as both Intel chips do it (docs/hardware-reference.md B.15), written from the
 * datasheets: on transmit, a per-queue context of offsets (the 82574L's IPCSS/IPCSO/IPCSE and
 * TUCSS/TUCSO/TUCSE; the 82576's MACLEN/IPLEN/L4T turned into the same) and the data descriptor's POPTS
 * decide which 16-bit one's-complement sums the device computes over which bytes and where it writes
 * them; the pseudo-header is not the device's business (the stack seeds its sum in the checksum field,
 * which the device's sum covers). On receive, with RXCSUM.IPOFL and RXCSUM.TUOFL the device checks IPv4
 * header, TCP and UDP checksums and reports IPCS/TCPCS/UDPCS with IPE/TCPE.
 */
public final class ChecksumOffload {

    /** POPTS as both chips place them once shifted down: insert the IP checksum, insert the TCP/UDP checksum. */
    public static final int POPTS_IXSM = 0x01;
    public static final int POPTS_TXSM = 0x02;

    /** RXCSUM.IPOFL and RXCSUM.TUOFL. */
    public static final int RXCSUM_IPOFL = 1 << 8;
    public static final int RXCSUM_TUOFL = 1 << 9;

    /** Receive verdict: status bits 7:0 and error bits 31:24, as the extended/advanced write-back holds them. */
    public static final int STA_UDPCS = 0x10;
    public static final int STA_TCPCS = 0x20;
    public static final int STA_IPCS = 0x40;
    public static final int ERR_TCPE = 0x2000_0000;
    public static final int ERR_IPE = 0x4000_0000;

    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;

    private ChecksumOffload() {
    }

    /** One queue's transmit context: the last context descriptor it read. */
    public static final class Context {
        /** IP checksum start, offset, end (inclusive; 0 = to the end of the frame). */
        public int ipcss;
        public int ipcso;
        public int ipcse;
        /** TCP/UDP checksum start, offset, end (inclusive; 0 = to the end of the frame). */
        public int tucss;
        public int tucso;
        public int tucse;
        /** The context named UDP (a computed 0 is sent as 0xFFFF, RFC 768). */
        public boolean udp;
        /** IXSM may act: the 82574L's offsets always, the 82576's only with TUCMD.IPV4. */
        public boolean ipv4;
        /** A context descriptor was read since the last reset. */
        public boolean valid;
        /** The 82574L's PAYLEN: the TCP payload bytes to segment (docs/hardware-reference.md B.17). */
        public int paylen;
        /** The header every segment repeats (the 82574L's HDRLEN; the 82576's MACLEN + IPLEN + L4LEN). */
        public int hdrlen;
        /** Payload bytes per segment; 0 when the context allows no segmentation (the 82574L's TUCMD.TSE clear). */
        public int mss;
        /** Segments carry an IPv4 header (TUCMD.IP, TUCMD.IPV4), else IPv6. */
        public boolean segmentIpv4;

        public void clear() {
            valid = false;
        }
    }

    /** Inserts what {@code popts} asks for into {@code frame}, at {@code ctx}'s offsets; offsets past the frame do nothing. */
    public static void insert(byte[] frame, int length, Context ctx, int popts) {
        if (!ctx.valid) {
            return;
        }
        if ((popts & POPTS_IXSM) != 0 && ctx.ipv4) {
            put(frame, length, ctx.ipcss, ctx.ipcse, ctx.ipcso, false);
        }
        if ((popts & POPTS_TXSM) != 0) {
            put(frame, length, ctx.tucss, ctx.tucse, ctx.tucso, ctx.udp);
        }
    }

    private static void put(byte[] frame, int length, int start, int end, int at, boolean udp) {
        int last = end == 0 ? length - 1 : Math.min(end, length - 1);
        if (start > last || at + 1 >= length) {
            return;
        }
        int c = ~sum(frame, start, last + 1, 0) & 0xFFFF;
        if (udp && c == 0) {
            c = 0xFFFF;
        }
        frame[at] = (byte) (c >>> 8);
        frame[at + 1] = (byte) c;
    }

    /** The one's-complement sum (folded to 16 bits) of {@code frame[from, to)} added to {@code initial}. */
    public static int sum(byte[] frame, int from, int to, int initial) {
        long s = initial;
        int i = from;
        for (; i + 1 < to; i += 2) {
            s += (frame[i] & 0xFF) << 8 | frame[i + 1] & 0xFF;
        }
        if (i < to) {
            s += (frame[i] & 0xFF) << 8;
        }
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /**
     * The receive verdict of a frame (without FCS) under {@code rxcsum}: IPCS (IPE when the IPv4 header
     * does not sum to 0xFFFF) with IPOFL; TCPCS or UDPCS (TCPE when the segment with its pseudo-header does
     * not sum to 0xFFFF) with TUOFL, for TCP and UDP over IPv4 (not a fragment; a UDP checksum of 0 means
     * none) and over IPv6 behind Hop-by-Hop, Routing and Destination Options headers. 0: nothing checked.
     */
    public static int verdict(byte[] f, int length, int rxcsum) {
        if (length < 34 || (rxcsum & (RXCSUM_IPOFL | RXCSUM_TUOFL)) == 0) {
            return 0;
        }
        int l3 = 14;
        int type = u16(f, 12);
        if (type == 0x8100) {
            l3 = 18;
            type = u16(f, 16);
        }
        int v = 0;
        int proto;
        int l4;
        int pseudo;
        int end;
        if (type == ETHERTYPE_IPV4) {
            int ihl = (f[l3] & 0x0F) * 4;
            int total = u16(f, l3 + 2);
            if (ihl < 20 || total < ihl || l3 + total > length) {
                return 0;
            }
            if ((rxcsum & RXCSUM_IPOFL) != 0) {
                v |= STA_IPCS | (sum(f, l3, l3 + ihl, 0) != 0xFFFF ? ERR_IPE : 0);
            }
            if ((u16(f, l3 + 6) & 0x3FFF) != 0) {
                return v;                                    // a fragment: no L4 verdict
            }
            proto = f[l3 + 9] & 0xFF;
            l4 = l3 + ihl;
            end = l3 + total;
            pseudo = sum(f, l3 + 12, l3 + 20, proto + (end - l4));
        } else if (type == ETHERTYPE_IPV6) {
            if (l3 + 40 > length) {
                return 0;
            }
            end = l3 + 40 + u16(f, l3 + 4);
            proto = f[l3 + 6] & 0xFF;
            l4 = l3 + 40;
            while ((proto == 0 || proto == 43 || proto == 60) && l4 + 8 <= Math.min(end, length)) {
                proto = f[l4] & 0xFF;
                l4 += ((f[l4 + 1] & 0xFF) + 1) * 8;
            }
            if (end > length || l4 > end) {
                return 0;
            }
            pseudo = sum(f, l3 + 8, l3 + 40, proto + (end - l4));
        } else {
            return 0;
        }
        if ((rxcsum & RXCSUM_TUOFL) == 0 || (proto != PROTO_TCP && proto != PROTO_UDP)
                || l4 + (proto == PROTO_TCP ? 20 : 8) > end) {
            return v;
        }
        if (proto == PROTO_UDP && type == ETHERTYPE_IPV4 && u16(f, l4 + 6) == 0) {
            return v;                                        // no UDP checksum to check
        }
        boolean good = sum(f, l4, end, pseudo) == 0xFFFF;
        return v | (proto == PROTO_TCP ? STA_TCPCS : STA_UDPCS) | (good ? 0 : ERR_TCPE);
    }

    /** The verdict with the error bit of every verdict given turned over (the rx-csum-lie fault). */
    public static int lie(int verdict) {
        int v = verdict;
        if ((verdict & STA_IPCS) != 0) {
            v ^= ERR_IPE;
        }
        if ((verdict & (STA_TCPCS | STA_UDPCS)) != 0) {
            v ^= ERR_TCPE;
        }
        return v;
    }

    private static int u16(byte[] f, int at) {
        return (f[at] & 0xFF) << 8 | f[at + 1] & 0xFF;
    }
}
