package io.nicup.ndis.oid;

import io.nicup.ndis.NdisObjectHeader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * NDIS_RECEIVE_SCALE_CAPABILITIES: what a NIC's RSS can do, in the general attributes' RecvScaleCapabilities
 * and as the answer NDIS gives to OID_GEN_RECEIVE_SCALE_CAPABILITIES (docs/ndis-contract.md §10).
 *
 * <pre>
 * offset size member
 *      0    4 Header {Type 0x88, Revision 1 (NDIS 6.0-6.20) or 2 (6.30), Size 16 or 18}
 *      4    4 CapabilitiesFlags: NDIS_RSS_CAPS_* | the hash function (NdisHashFunctionToeplitz = 1)
 *      8    4 NumberOfInterruptMessages
 *     12    4 NumberOfReceiveQueues
 *     16    2 NumberOfIndirectionTableEntries (revision 2)
 * </pre>
 */
public record NdisReceiveScaleCapabilities(NdisObjectHeader header, int capabilitiesFlags,
        int numberOfInterruptMessages, int numberOfReceiveQueues, int numberOfIndirectionTableEntries) {

    public static final int NDIS_OBJECT_TYPE_RSS_CAPABILITIES = 0x88;
    public static final int REVISION_1 = 1;
    public static final int REVISION_2 = 2;
    public static final int SIZEOF_REVISION_1 = 16;
    public static final int SIZEOF_REVISION_2 = 18;

    public static final int NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4 = 0x0000_0100;
    public static final int NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6 = 0x0000_0200;
    public static final int NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6_EX = 0x0000_0400;
    public static final int NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4 = 0x0000_0800;
    public static final int NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6 = 0x0000_1000;
    public static final int NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6_EX = 0x0000_2000;
    public static final int NDIS_RSS_CAPS_MESSAGE_SIGNALED_INTERRUPTS = 0x0100_0000;
    public static final int NDIS_RSS_CAPS_CLASSIFICATION_AT_ISR = 0x0200_0000;
    public static final int NDIS_RSS_CAPS_CLASSIFICATION_AT_DPC = 0x0400_0000;
    public static final int NDIS_RSS_CAPS_USING_MSI_X = 0x0800_0000;
    public static final int NDIS_RSS_CAPS_SUPPORTS_MSI_X = 0x2000_0000;

    /** The most indirection table entries NDIS sets (NDIS_RSS_INDIRECTION_TABLE_MAX_SIZE_REVISION_1). */
    public static final int MAX_INDIRECTION_TABLE_ENTRIES = 128;

    /** Revision 2 capabilities (NDIS 6.30) with the Toeplitz function. */
    public static NdisReceiveScaleCapabilities of(int hashTypeCaps, int interruptMessages, int receiveQueues,
            int tableEntries) {
        return new NdisReceiveScaleCapabilities(
                new NdisObjectHeader(NDIS_OBJECT_TYPE_RSS_CAPABILITIES, REVISION_2, SIZEOF_REVISION_2),
                hashTypeCaps | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ | NDIS_RSS_CAPS_CLASSIFICATION_AT_DPC,
                interruptMessages, receiveQueues, tableEntries);
    }

    /**
     * The NDIS_HASH_* types these capabilities allow in OID_GEN_RECEIVE_SCALE_PARAMETERS: a TCP hash type
     * brings the address-only hash of its IP version with it (nicup's reading of the DDI).
     */
    public int supportedHashTypes() {
        int t = 0;
        if ((capabilitiesFlags & NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV4) != 0) {
            t |= NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_TCP_IPV4;
        }
        if ((capabilitiesFlags & NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV4) != 0) {
            t |= NdisRssHash.NDIS_HASH_IPV4 | NdisRssHash.NDIS_HASH_UDP_IPV4;
        }
        if ((capabilitiesFlags & NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6) != 0) {
            t |= NdisRssHash.NDIS_HASH_IPV6 | NdisRssHash.NDIS_HASH_TCP_IPV6;
        }
        if ((capabilitiesFlags & NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6) != 0) {
            t |= NdisRssHash.NDIS_HASH_IPV6 | NdisRssHash.NDIS_HASH_UDP_IPV6;
        }
        if ((capabilitiesFlags & NDIS_RSS_CAPS_HASH_TYPE_TCP_IPV6_EX) != 0) {
            t |= NdisRssHash.NDIS_HASH_IPV6_EX | NdisRssHash.NDIS_HASH_TCP_IPV6_EX;
        }
        if ((capabilitiesFlags & NDIS_RSS_CAPS_HASH_TYPE_UDP_IPV6_EX) != 0) {
            t |= NdisRssHash.NDIS_HASH_IPV6_EX | NdisRssHash.NDIS_HASH_UDP_IPV6_EX;
        }
        return t;
    }

    /** The largest indirection table a set may carry: the capabilities' own limit, at most 128. */
    public int maxIndirectionTableEntries() {
        int declared = header.revision() >= REVISION_2 && numberOfIndirectionTableEntries > 0
                ? numberOfIndirectionTableEntries : MAX_INDIRECTION_TABLE_ENTRIES;
        return Math.min(declared, MAX_INDIRECTION_TABLE_ENTRIES);
    }

    /** Everything wrong with the structure; empty when well formed. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (header.type() != NDIS_OBJECT_TYPE_RSS_CAPABILITIES) {
            p.add("Header.Type=0x" + Integer.toHexString(header.type()) + " expected=0x88");
        }
        if (header.revision() != REVISION_1 && header.revision() != REVISION_2) {
            p.add("Header.Revision=" + header.revision() + " known=1,2");
        } else if (header.size() < (header.revision() == REVISION_1 ? SIZEOF_REVISION_1 : SIZEOF_REVISION_2)) {
            p.add("Header.Size=" + header.size() + " short for revision " + header.revision());
        }
        if ((capabilitiesFlags & NdisRssHash.NDIS_HASH_FUNCTION_MASK) != NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ) {
            p.add("hash function=" + (capabilitiesFlags & NdisRssHash.NDIS_HASH_FUNCTION_MASK)
                    + " (NdisHashFunctionToeplitz=1 is the only one for miniports)");
        }
        if (numberOfReceiveQueues < 1) {
            p.add("NumberOfReceiveQueues=" + numberOfReceiveQueues);
        }
        if (numberOfInterruptMessages < 1) {
            p.add("NumberOfInterruptMessages=" + numberOfInterruptMessages);
        }
        if (header.revision() >= REVISION_2 && (numberOfIndirectionTableEntries < 0
                || numberOfIndirectionTableEntries > MAX_INDIRECTION_TABLE_ENTRIES)) {
            p.add("NumberOfIndirectionTableEntries=" + numberOfIndirectionTableEntries + " max=128");
        }
        return p;
    }

    /** Writes the structure (its header's size, at most 18 bytes of fields). */
    public void write(MemorySegment buffer, long offset) {
        buffer.set(ValueLayout.JAVA_BYTE, offset, (byte) header.type());
        buffer.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) header.revision());
        buffer.set(NdisOidRequest.USHORT, offset + 2, (short) header.size());
        buffer.set(NdisOidRequest.ULONG, offset + 4, capabilitiesFlags);
        buffer.set(NdisOidRequest.ULONG, offset + 8, numberOfInterruptMessages);
        buffer.set(NdisOidRequest.ULONG, offset + 12, numberOfReceiveQueues);
        if (header.revision() >= REVISION_2) {
            buffer.set(NdisOidRequest.USHORT, offset + 16, (short) numberOfIndirectionTableEntries);
        }
    }

    /** Bytes {@link #write} writes. */
    public int writtenSize() {
        return header.revision() >= REVISION_2 ? SIZEOF_REVISION_2 : SIZEOF_REVISION_1;
    }
}
