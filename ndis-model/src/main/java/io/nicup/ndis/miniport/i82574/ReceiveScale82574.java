package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.miniport.intel.IntelReceiveScale;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisRssHash;

/**
 * The 82574L's receive-side scaling (docs/hardware-reference.md B.18), programmed by {@link IntelReceiveScale}:
 * MRQC with the enable at 01b (RSS) and its field enables, RSSRK0-9, RETA0-31 (an entry's bit 7 names the
 * queue) and RXCSUM.PCSD, so that the extended write-back carries the hash. Linux {@code e1000e_setup_rss_hash}
 * writes the same, apart from the enable, which QEMU's e1000e needs (docs/hardware-reference.md B.18).
 *
 * <p>The driver runs the receive queues the adapter planned (two in MSI-X mode, one with MSI, INTx or
 * polling: docs/ndis-contract.md §21), and the capabilities announce that many; an NDIS table entry names a
 * processor, processor n's frames go to queue n, so RETA entry i names queue table[i mod size] in its bit 7.
 * The chip has no UDP hash: the capabilities announce TCP over IPv4 and IPv6 (with the address hashes); a UDP
 * frame is hashed on its addresses.
 */
final class ReceiveScale82574 {

    /** RXCSUM.PCSD: dword 1 of the extended write-back is the RSS hash, not the IP identification. */
    static final int RXCSUM_PCSD = 1 << 13;
    /** MRQC bits 1:0 = 01b: multiple receive queues by RSS. */
    static final int MRQC_RSS = 0x1;
    static final int MRQC_TCP_IPV4 = 1 << 16;
    static final int MRQC_IPV4 = 1 << 17;
    /** The datasheet's TcpIPv6Ex: TCP over IPv6, the same fields as without "Ex" for a frame without extension headers. */
    static final int MRQC_TCP_IPV6 = 1 << 18;
    static final int MRQC_IPV6 = 1 << 20;
    /** The receive queues RSS can name: the 82574L has two, RETA's bit 7 picks one (docs/hardware-reference.md B.18). */
    static final int MAX_QUEUES = 2;
    /** A RETA entry's queue bit. */
    static final int RETA_QUEUE_SHIFT = 7;

    /**
     * TCP over IPv4 and IPv6 with the address hashes; one message and one queue per receive queue the driver
     * runs, RETA's 128 entries.
     */
    static NdisReceiveScaleCapabilities capabilities(int queues) {
        return NdisReceiveScaleCapabilities.of(NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4
                        | NdisReceiveScaleCapabilities.NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6,
                queues, queues, 4 * Regs82574.RETA_REGISTERS);
    }

    /** Where the 82574L keeps its RSS registers, and how it encodes them. */
    static final IntelReceiveScale.Layout LAYOUT = new IntelReceiveScale.Layout(Regs82574.MRQC, Regs82574.RSSRK0,
            Regs82574.RETA0, Regs82574.RXCSUM, RXCSUM_PCSD, MRQC_RSS, ReceiveScale82574::fieldEnables,
            queue -> (queue & 1) << RETA_QUEUE_SHIFT);

    private ReceiveScale82574() {
    }

    /** MRQC's field enables for the NDIS hash types in {@code hashInformation}; the chip has no UDP hash. */
    static int fieldEnables(int hashInformation) {
        int mrqc = 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_IPV4) != 0 ? MRQC_IPV4 : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_TCP_IPV4) != 0 ? MRQC_TCP_IPV4 : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_IPV6) != 0 ? MRQC_IPV6 : 0;
        mrqc |= (hashInformation & NdisRssHash.NDIS_HASH_TCP_IPV6) != 0 ? MRQC_TCP_IPV6 : 0;
        return mrqc;
    }
}
