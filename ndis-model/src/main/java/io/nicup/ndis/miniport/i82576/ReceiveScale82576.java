package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;

/**
 * The 82576's receive-side scaling as OID_GEN_RECEIVE_SCALE_PARAMETERS programs it
 * (docs/hardware-reference.md B.16): the secret key into RSSRK0-9, the hash types into MRQC's field enables
 * with MRQE = RSS only, the indirection table into RETA0-31, and RXCSUM.PCSD so that the write-back carries
 * the hash (Linux igb_setup_mrqc does the same).
 *
 * <p>The driver runs as many receive queues as the adapter planned ({@code IntelAdapter}, ReceiveQueuePlan;
 * one with MSI, INTx or polling), each with its own MSI-X message and DPC. An NDIS indirection table entry
 * names a processor, and processor n's frames go to queue n (the parse refuses an entry at or beyond the
 * queues announced), so RETA entry i names queue table[i mod size]. Should the interrupt registration fall
 * back from MSI-X after the queues were announced, every entry names queue 0 ({@link #useQueues}).
 *
 * <p>The configuration in force is kept and written again whenever the receive unit is programmed (after a
 * reset); a refused set never reaches this class, so the registers keep what they had.
 */
final class ReceiveScale82576 {

    /** RXCSUM.PCSD: dword 1 of the write-back is the RSS hash, not the fragment checksum. */
    static final int RXCSUM_PCSD = 1 << 13;
    /** MRQC.MRQE = 010b: RSS only. */
    static final int MRQC_RSS = 0x2;
    static final int MRQC_TCP_IPV4 = 1 << 16;
    static final int MRQC_IPV4 = 1 << 17;
    static final int MRQC_IPV6 = 1 << 20;
    static final int MRQC_TCP_IPV6 = 1 << 21;
    /**
     * TcpIPv6Ex: set with TcpIPv6, as Linux igb_setup_mrqc sets both. QEMU's igb (10.0) hashes TCP over IPv6
     * only under this bit: with TcpIPv6 alone it gave the IPv6 (addresses) hash, as the rss check found in the
     * QEMU guest (docs/hardware-reference.md B.16).
     */
    static final int MRQC_TCP_IPV6_EX = 1 << 18;
    static final int MRQC_UDP_IPV4 = 1 << 22;
    static final int MRQC_UDP_IPV6 = 1 << 23;
    /**
     * The receive queues RSS can name: RETA entries are 4 bits wide and the chip has 16 receive queues
     * (docs/hardware-reference.md B.16).
     */
    static final int MAX_QUEUES = 16;

    /**
     * What the 82576 hashes (TCP and UDP over IPv4 and IPv6, the address-only hashes with them; the "Ex"
     * hashes are not programmed), one message and one queue per receive queue the driver runs, RETA's 128
     * entries.
     */
    static NdisReceiveScaleCapabilities capabilities(int queues) {
        return NdisReceiveScaleCapabilities.of(NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6,
                queues, queues, 4 * Regs82576.RETA_REGISTERS);
    }

    private final E82576Hardware hw;
    /** Set on the OID path, read when the receive unit is programmed again. */
    private volatile NdisReceiveScaleParameters inForce = NdisReceiveScaleParameters.DISABLED;
    /** The receive queues RETA may name. */
    private volatile int queues = 1;

    ReceiveScale82576(E82576Hardware hw) {
        this.hw = hw;
    }

    /** The receive queues RETA may name from now on (the next {@link #program}). */
    void useQueues(int queues) {
        this.queues = queues;
    }

    /** Keeps an accepted configuration and, when the device can be written, programs it at once. */
    void accept(NdisReceiveScaleParameters rss, boolean writeNow) {
        inForce = rss;
        if (writeNow) {
            program();
            hw.write(Regs82576.RXCSUM, hw.read(Regs82576.RXCSUM) & ~RXCSUM_PCSD | rxcsumBits());
        }
    }

    /**
     * The configuration in force into the device: without RSS only MRQC = 0 (every frame on queue 0, no
     * hash); with it the key, the table and then MRQC, whose MRQE turns RSS on over what is already there.
     */
    void program() {
        NdisReceiveScaleParameters rss = inForce;
        if (!rss.enabled()) {
            hw.write(Regs82576.MRQC, 0);
            return;
        }
        byte[] key = rss.hashSecretKey();
        for (int n = 0; n < Regs82576.RSSRK_REGISTERS; n++) {
            hw.write(Regs82576.RSSRK0 + 4 * n, littleEndian(key, 4 * n));
        }
        int[] table = rss.indirectionTable();
        int running = queues;
        for (int n = 0; n < Regs82576.RETA_REGISTERS; n++) {
            int reta = 0;
            for (int k = 0; k < 4; k++) {
                // entry i repeats the NDIS table (a power of two up to 128 entries); processor p is queue p,
                // and an entry is below the queues announced, so the modulo only matters after a fallback
                int i = 4 * n + k;
                reta |= (table.length == 0 ? 0 : table[i & table.length - 1] % running & 0x0F) << 8 * k;
            }
            hw.write(Regs82576.RETA0 + 4 * n, reta);
        }
        hw.write(Regs82576.MRQC, MRQC_RSS | fieldEnables(rss.hashInformation()));
    }

    /** RXCSUM bits RSS adds to the checksum unit's: PCSD while RSS is on. */
    int rxcsumBits() {
        return inForce.enabled() ? RXCSUM_PCSD : 0;
    }

    /** MRQC's field enables for the NDIS hash types in {@code hashInformation}. */
    static int fieldEnables(int hashInformation) {
        int mrqc = 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_IPV4) != 0 ? MRQC_IPV4 : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_TCP_IPV4) != 0 ? MRQC_TCP_IPV4 : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_UDP_IPV4) != 0 ? MRQC_UDP_IPV4 : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_IPV6) != 0 ? MRQC_IPV6 : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_TCP_IPV6) != 0 ? MRQC_TCP_IPV6 | MRQC_TCP_IPV6_EX : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_UDP_IPV6) != 0 ? MRQC_UDP_IPV6 : 0;
        return mrqc;
    }

    /** Key bytes {@code at..at+3} as RSSRK holds them: the first in bits 7:0. */
    private static int littleEndian(byte[] key, int at) {
        int v = 0;
        for (int k = 3; k >= 0; k--) {
            v = v << 8 | (at + k < key.length ? key[at + k] & 0xFF : 0);
        }
        return v;
    }
}
