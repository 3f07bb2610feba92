package io.nicup.ndis.oid;

import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * NDIS_LINK_STATE: the buffer of an NDIS_STATUS_LINK_STATE indication and the answer to
 * OID_GEN_LINK_STATE (docs/ndis-contract.md §6).
 *
 * {@snippet lang=c :
 * typedef struct _NDIS_LINK_STATE {
 *     NDIS_OBJECT_HEADER             Header;      // NDIS_OBJECT_TYPE_DEFAULT, revision 1
 *     NDIS_MEDIA_CONNECT_STATE       MediaConnectState;
 *     NDIS_MEDIA_DUPLEX_STATE        MediaDuplexState;
 *     ULONG64                        XmitLinkSpeed;
 *     ULONG64                        RcvLinkSpeed;
 *     NDIS_SUPPORTED_PAUSE_FUNCTIONS PauseFunctions;
 *     ULONG                          AutoNegotiationFlags;
 * } NDIS_LINK_STATE;
 * }
 * (DDI ntddndis ns-ntddndis-_ndis_link_state.md)
 */
public record NdisLinkState(MediaConnectState mediaConnectState, MediaDuplexState mediaDuplexState,
        long xmitLinkSpeed, long rcvLinkSpeed, NdisSupportedPauseFunctions pauseFunctions,
        int autoNegotiationFlags) {

    public static final int REVISION_1 = 1;

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("Type"),
            ValueLayout.JAVA_BYTE.withName("Revision"),
            ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN).withName("Size"),
            U32.withName("MediaConnectState"),
            U32.withName("MediaDuplexState"),
            MemoryLayout.paddingLayout(4),
            U64.withName("XmitLinkSpeed"),
            U64.withName("RcvLinkSpeed"),
            U32.withName("PauseFunctions"),
            U32.withName("AutoNegotiationFlags"));

    /** NDIS_SIZEOF_LINK_STATE_REVISION_1: through AutoNegotiationFlags (40 bytes). */
    public static final int SIZEOF_REVISION_1 = (int) LAYOUT.byteSize();

    private static final long CONNECT = offset("MediaConnectState");
    private static final long DUPLEX = offset("MediaDuplexState");
    private static final long XMIT = offset("XmitLinkSpeed");
    private static final long RCV = offset("RcvLinkSpeed");
    private static final long PAUSE = offset("PauseFunctions");
    private static final long AUTONEG = offset("AutoNegotiationFlags");

    private static long offset(String field) {
        return LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** Unknown link: what NDIS reports before the first indication when the attributes said nothing. */
    public static final NdisLinkState UNKNOWN = new NdisLinkState(MediaConnectState.MediaConnectStateUnknown,
            MediaDuplexState.MediaDuplexStateUnknown, MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN,
            MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN, NdisSupportedPauseFunctions.NdisPauseFunctionsUnknown, 0);

    public static NdisLinkState connected(long bitsPerSecond, MediaDuplexState duplex) {
        return new NdisLinkState(MediaConnectState.MediaConnectStateConnected, duplex, bitsPerSecond, bitsPerSecond,
                NdisSupportedPauseFunctions.NdisPauseFunctionsUnknown, 0);
    }

    public static NdisLinkState disconnected() {
        return new NdisLinkState(MediaConnectState.MediaConnectStateDisconnected,
                MediaDuplexState.MediaDuplexStateUnknown, MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN,
                MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN, NdisSupportedPauseFunctions.NdisPauseFunctionsUnknown, 0);
    }

    /** Writes the C structure, header included, at {@code offset}. */
    public void write(MemorySegment segment, long offset) {
        segment.set(ValueLayout.JAVA_BYTE, offset, (byte) NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT);
        segment.set(ValueLayout.JAVA_BYTE, offset + 1, (byte) REVISION_1);
        segment.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset + 2,
                (short) SIZEOF_REVISION_1);
        segment.set(NdisOidRequest.ULONG, offset + CONNECT, mediaConnectState.value());
        segment.set(NdisOidRequest.ULONG, offset + DUPLEX, mediaDuplexState.value());
        segment.set(NdisOidRequest.ULONG64, offset + XMIT, xmitLinkSpeed);
        segment.set(NdisOidRequest.ULONG64, offset + RCV, rcvLinkSpeed);
        segment.set(NdisOidRequest.ULONG, offset + PAUSE, pauseFunctions.value());
        segment.set(NdisOidRequest.ULONG, offset + AUTONEG, autoNegotiationFlags);
    }

    /**
     * Reads the C structure at {@code offset}.
     *
     * @throws IllegalArgumentException when the header or an enumeration value is not valid
     */
    public static NdisLinkState read(MemorySegment segment, long offset) {
        int type = segment.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
        int size = segment.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset + 2) & 0xFFFF;
        if (type != NdisObjectHeader.NDIS_OBJECT_TYPE_DEFAULT || size < SIZEOF_REVISION_1) {
            throw new IllegalArgumentException("not an NDIS_LINK_STATE header: type=" + type + " size=" + size);
        }
        MediaConnectState connect = MediaConnectState.ofValue(segment.get(NdisOidRequest.ULONG, offset + CONNECT));
        MediaDuplexState duplex = MediaDuplexState.ofValue(segment.get(NdisOidRequest.ULONG, offset + DUPLEX));
        NdisSupportedPauseFunctions pause =
                NdisSupportedPauseFunctions.ofValue(segment.get(NdisOidRequest.ULONG, offset + PAUSE));
        if (connect == null || duplex == null || pause == null) {
            throw new IllegalArgumentException("NDIS_LINK_STATE enumeration out of range");
        }
        return new NdisLinkState(connect, duplex, segment.get(NdisOidRequest.ULONG64, offset + XMIT),
                segment.get(NdisOidRequest.ULONG64, offset + RCV), pause,
                segment.get(NdisOidRequest.ULONG, offset + AUTONEG));
    }

    /** Every field present; speeds non-negative or unknown. */
    boolean isWellFormed() {
        return mediaConnectState != null && mediaDuplexState != null && pauseFunctions != null
                && (xmitLinkSpeed >= 0 || xmitLinkSpeed == MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN)
                && (rcvLinkSpeed >= 0 || rcvLinkSpeed == MiniportAdapterAttributes.General.LINK_SPEED_UNKNOWN);
    }
}
