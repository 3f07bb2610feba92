package io.nicup.ndis.oid;

import io.nicup.ndis.NdisObjectHeader;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * NDIS_STATISTICS_INFO: the answer to OID_GEN_STATISTICS (docs/ndis-contract.md §6).
 *
 * {@snippet lang=c :
 * typedef struct _NDIS_STATISTICS_INFO {
 *     NDIS_OBJECT_HEADER Header;       // NDIS_OBJECT_TYPE_DEFAULT, revision 1
 *     ULONG   SupportedStatistics;     // NDIS_STATISTICS_FLAGS_VALID_*
 *     ULONG64 ifInDiscards;  ULONG64 ifInErrors;
 *     ULONG64 ifHCInOctets;  ULONG64 ifHCInUcastPkts;  ULONG64 ifHCInMulticastPkts;  ULONG64 ifHCInBroadcastPkts;
 *     ULONG64 ifHCOutOctets; ULONG64 ifHCOutUcastPkts; ULONG64 ifHCOutMulticastPkts; ULONG64 ifHCOutBroadcastPkts;
 *     ULONG64 ifOutErrors;   ULONG64 ifOutDiscards;
 *     ULONG64 ifHCInUcastOctets;  ULONG64 ifHCInMulticastOctets;  ULONG64 ifHCInBroadcastOctets;
 *     ULONG64 ifHCOutUcastOctets; ULONG64 ifHCOutMulticastOctets; ULONG64 ifHCOutBroadcastOctets;
 * } NDIS_STATISTICS_INFO;
 * }
 * (WDD oid-gen-statistics.md)
 */
public record NdisStatisticsInfo(int supportedStatistics, long ifInDiscards, long ifInErrors, long ifHCInOctets,
        long ifHCInUcastPkts, long ifHCInMulticastPkts, long ifHCInBroadcastPkts, long ifHCOutOctets,
        long ifHCOutUcastPkts, long ifHCOutMulticastPkts, long ifHCOutBroadcastPkts, long ifOutErrors,
        long ifOutDiscards, long ifHCInUcastOctets, long ifHCInMulticastOctets, long ifHCInBroadcastOctets,
        long ifHCOutUcastOctets, long ifHCOutMulticastOctets, long ifHCOutBroadcastOctets) {

    public static final int REVISION_1 = 1;

    // NDIS_STATISTICS_FLAGS_VALID_* (WRS: windows-sys constants; DIRECTED_FRAMES_RCV = 1, RCV_DISCARDS = 16,
    // RCV_ERROR = 32, DIRECTED_BYTES_RCV = 65536 checked)
    public static final int VALID_DIRECTED_FRAMES_RCV = 0x0000_0001;
    public static final int VALID_MULTICAST_FRAMES_RCV = 0x0000_0002;
    public static final int VALID_BROADCAST_FRAMES_RCV = 0x0000_0004;
    public static final int VALID_BYTES_RCV = 0x0000_0008;
    public static final int VALID_RCV_DISCARDS = 0x0000_0010;
    public static final int VALID_RCV_ERROR = 0x0000_0020;
    public static final int VALID_DIRECTED_FRAMES_XMIT = 0x0000_0040;
    public static final int VALID_MULTICAST_FRAMES_XMIT = 0x0000_0080;
    public static final int VALID_BROADCAST_FRAMES_XMIT = 0x0000_0100;
    public static final int VALID_BYTES_XMIT = 0x0000_0200;
    public static final int VALID_XMIT_ERROR = 0x0000_0400;
    public static final int VALID_XMIT_DISCARDS = 0x0000_8000;
    public static final int VALID_DIRECTED_BYTES_RCV = 0x0001_0000;
    public static final int VALID_MULTICAST_BYTES_RCV = 0x0002_0000;
    public static final int VALID_BROADCAST_BYTES_RCV = 0x0004_0000;
    public static final int VALID_DIRECTED_BYTES_XMIT = 0x0008_0000;
    public static final int VALID_MULTICAST_BYTES_XMIT = 0x0010_0000;
    public static final int VALID_BROADCAST_BYTES_XMIT = 0x0020_0000;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final String[] COUNTERS = {"ifInDiscards", "ifInErrors", "ifHCInOctets", "ifHCInUcastPkts",
        "ifHCInMulticastPkts", "ifHCInBroadcastPkts", "ifHCOutOctets", "ifHCOutUcastPkts", "ifHCOutMulticastPkts",
        "ifHCOutBroadcastPkts", "ifOutErrors", "ifOutDiscards", "ifHCInUcastOctets", "ifHCInMulticastOctets",
        "ifHCInBroadcastOctets", "ifHCOutUcastOctets", "ifHCOutMulticastOctets", "ifHCOutBroadcastOctets"};

    public static final StructLayout LAYOUT = layout();

    /** NDIS_SIZEOF_STATISTICS_INFO_REVISION_1 (152 bytes). */
    public static final int SIZEOF_REVISION_1 = (int) LAYOUT.byteSize();
    private static final long FIRST_COUNTER = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(COUNTERS[0]));

    private static StructLayout layout() {
        MemoryLayout[] fields = new MemoryLayout[4 + COUNTERS.length];
        fields[0] = ValueLayout.JAVA_BYTE.withName("Type");
        fields[1] = ValueLayout.JAVA_BYTE.withName("Revision");
        fields[2] = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("Size");
        fields[3] = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("SupportedStatistics");
        for (int i = 0; i < COUNTERS.length; i++) {
            fields[4 + i] = U64.withName(COUNTERS[i]);
        }
        return MemoryLayout.structLayout(fields);
    }

    private long[] counters() {
        return new long[] {ifInDiscards, ifInErrors, ifHCInOctets, ifHCInUcastPkts, ifHCInMulticastPkts,
            ifHCInBroadcastPkts, ifHCOutOctets, ifHCOutUcastPkts, ifHCOutMulticastPkts, ifHCOutBroadcastPkts,
            ifOutErrors, ifOutDiscards, ifHCInUcastOctets, ifHCInMulticastOctets, ifHCInBroadcastOctets,
            ifHCOutUcastOctets, ifHCOutMulticastOctets, ifHCOutBroadcastOctets};
    }

    /** Writes the C structure, header included, at {@code offset}. */
    public void write(MemorySegment segment, long offset) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT);
        segment.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) REVISION_1);
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset + 2,
                (short) SIZEOF_REVISION_1);
        segment.set(NdisOidRequest.ULONG, offset + 4, supportedStatistics);
        long[] values = counters();
        for (int i = 0; i < values.length; i++) {
            segment.set(NdisOidRequest.ULONG64, offset + FIRST_COUNTER + 8L * i, values[i]);
        }
    }

    public static NdisStatisticsInfo read(MemorySegment segment, long offset) {
        long[] v = new long[COUNTERS.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = segment.get(NdisOidRequest.ULONG64, offset + FIRST_COUNTER + 8L * i);
        }
        return new NdisStatisticsInfo(segment.get(NdisOidRequest.ULONG, offset + 4), v[0], v[1], v[2], v[3], v[4],
                v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16], v[17]);
    }
}
