package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.miniport.intel.IntelReceiveScale;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisRssHash;

/**
 * The 82576's receive-side scaling as OID_GEN_RECEIVE_SCALE_PARAMETERS programs it
 * (docs/hardware-reference.md B.16), written by the family's {@link IntelReceiveScale}: the secret key into RSSRK0-9, the hash types into MRQC's field enables
 * with MRQE = RSS only, the indirection table into RETA0-31, and RXCSUM.PCSD so that the write-back carries
 * the hash (Linux igb_setup_mrqc does the same).
 *
 * <p>The driver runs as many receive queues as the adapter planned ({@code IntelAdapter}, ReceiveQueuePlan;
 * one with MSI, INTx or polling), each with its own MSI-X message and DPC. An NDIS indirection table entry
 * names a processor, and processor n's frames go to queue n (the parse refuses an entry at or beyond the
 * queues announced), so RETA entry i names queue table[i mod size]. The interrupt is registered before the
 * queues are announced, so a fallback from MSI-X there announces and runs one queue.
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

    private final IntelReceiveScale registers;

    ReceiveScale82576(E82576Hardware hw) {
        this.registers = new IntelReceiveScale(hw, new IntelReceiveScale.Layout(Regs82576.MRQC, Regs82576.RSSRK0,
                Regs82576.RETA0, Regs82576.RXCSUM, RXCSUM_PCSD, MRQC_RSS, ReceiveScale82576::fieldEnables,
                queue -> queue & 0x0F));
    }

    void useQueues(int queues) {
        registers.useQueues(queues);
    }

    void accept(NdisReceiveScaleParameters rss, boolean writeNow) {
        registers.accept(rss, writeNow);
    }

    void program() {
        registers.program();
    }

    int rxcsumBits() {
        return registers.rxcsumBits();
    }

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
}
