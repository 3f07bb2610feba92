package io.nicup.ndis.oid;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * NDIS_OID_REQUEST: one query or set, its information buffer (little-endian, as the C structures are
 * laid out on x86-64) and the byte counts the miniport fills in.
 *
 * <p>The {@code query*} helpers implement the buffer-size protocol of docs/ndis-contract.md §6: when the
 * buffer is too small they set {@link #bytesNeeded()} and return {@link NdisStatus#BUFFER_TOO_SHORT};
 * otherwise they write, set {@link #bytesWritten()} and return SUCCESS. For sets,
 * {@link #requireLength(int)} returns INVALID_LENGTH with BytesNeeded when the buffer is short.
 * A miniport answers most OIDs in one line:
 * {@snippet :
 * case Oid.OID_802_3_PERMANENT_ADDRESS -> request.queryMacAddress(permanentAddress);
 * }
 */
public final class NdisOidRequest {

    @NdisInternal
    public static final ValueLayout.OfInt ULONG = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    @NdisInternal
    public static final ValueLayout.OfShort USHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    @NdisInternal
    public static final ValueLayout.OfLong ULONG64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final OidRequestType requestType;
    private final int oid;
    private final MemorySegment informationBuffer;
    private final int portNumber;
    private int bytesWritten;
    private int bytesRead;
    private int bytesNeeded;
    long requestId;

    public NdisOidRequest(OidRequestType requestType, int oid, MemorySegment informationBuffer, int portNumber) {
        if (informationBuffer.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("information buffer too large: bytes=" + informationBuffer.byteSize());
        }
        this.requestType = requestType;
        this.oid = oid;
        this.informationBuffer = informationBuffer;
        this.portNumber = portNumber;
    }

    /** A query with a zeroed buffer of {@code bufferLength} bytes. */
    public static NdisOidRequest query(int oid, int bufferLength) {
        return new NdisOidRequest(OidRequestType.NdisRequestQueryInformation, oid,
                MemorySegment.ofArray(new byte[bufferLength]), 0);
    }

    /** A set carrying {@code data}. */
    public static NdisOidRequest set(int oid, byte[] data) {
        return new NdisOidRequest(OidRequestType.NdisRequestSetInformation, oid, MemorySegment.ofArray(data.clone()), 0);
    }

    /** A set carrying one ULONG. */
    public static NdisOidRequest setUlong(int oid, int value) {
        MemorySegment buffer = MemorySegment.ofArray(new byte[4]);
        buffer.set(ULONG, 0, value);
        return new NdisOidRequest(OidRequestType.NdisRequestSetInformation, oid, buffer, 0);
    }

    public OidRequestType requestType() {
        return requestType;
    }

    public int oid() {
        return oid;
    }

    public MemorySegment informationBuffer() {
        return informationBuffer;
    }

    public int informationBufferLength() {
        return (int) informationBuffer.byteSize();
    }

    public int portNumber() {
        return portNumber;
    }

    /** The id MiniportCancelOidRequest names. */
    public long requestId() {
        return requestId;
    }

    public int bytesWritten() {
        return bytesWritten;
    }

    public void setBytesWritten(int value) {
        this.bytesWritten = value;
    }

    public int bytesRead() {
        return bytesRead;
    }

    public void setBytesRead(int value) {
        this.bytesRead = value;
    }

    public int bytesNeeded() {
        return bytesNeeded;
    }

    public void setBytesNeeded(int value) {
        this.bytesNeeded = value;
    }

    /** SUCCESS when the buffer holds at least {@code length} bytes, else BUFFER_TOO_SHORT with BytesNeeded. */
    public int ensureQueryLength(int length) {
        if (informationBufferLength() < length) {
            bytesNeeded = length;
            bytesWritten = 0;
            return NdisStatus.BUFFER_TOO_SHORT;
        }
        return NdisStatus.SUCCESS;
    }

    /** For sets: SUCCESS when the buffer holds {@code length} bytes, else INVALID_LENGTH with BytesNeeded. */
    public int requireLength(int length) {
        if (informationBufferLength() < length) {
            bytesNeeded = length;
            bytesRead = 0;
            return NdisStatus.INVALID_LENGTH;
        }
        return NdisStatus.SUCCESS;
    }

    public int queryUlong(int value) {
        int status = ensureQueryLength(4);
        if (status == NdisStatus.SUCCESS) {
            informationBuffer.set(ULONG, 0, value);
            bytesWritten = 4;
        }
        return status;
    }

    public int queryUlong64(long value) {
        int status = ensureQueryLength(8);
        if (status == NdisStatus.SUCCESS) {
            informationBuffer.set(ULONG64, 0, value);
            bytesWritten = 8;
        }
        return status;
    }

    public int queryBytes(byte[] value) {
        int status = ensureQueryLength(value.length);
        if (status == NdisStatus.SUCCESS) {
            MemorySegment.copy(value, 0, informationBuffer, ValueLayout.JAVA_BYTE, 0, value.length);
            bytesWritten = value.length;
        }
        return status;
    }

    public int queryMacAddress(MacAddress address) {
        int status = ensureQueryLength(MacAddress.LENGTH);
        if (status == NdisStatus.SUCCESS) {
            address.write(informationBuffer, 0);
            bytesWritten = MacAddress.LENGTH;
        }
        return status;
    }

    /** An array of ULONGs (OID_GEN_SUPPORTED_LIST). */
    public int queryUlongs(int[] values) {
        int status = ensureQueryLength(4 * values.length);
        if (status == NdisStatus.SUCCESS) {
            for (int i = 0; i < values.length; i++) {
                informationBuffer.set(ULONG, 4L * i, values[i]);
            }
            bytesWritten = 4 * values.length;
        }
        return status;
    }

    public int queryStatistics(NdisStatisticsInfo statistics) {
        int status = ensureQueryLength(NdisStatisticsInfo.SIZEOF_REVISION_1);
        if (status == NdisStatus.SUCCESS) {
            statistics.write(informationBuffer, 0);
            bytesWritten = NdisStatisticsInfo.SIZEOF_REVISION_1;
        }
        return status;
    }

    public int queryLinkState(NdisLinkState linkState) {
        int status = ensureQueryLength(NdisLinkState.SIZEOF_REVISION_1);
        if (status == NdisStatus.SUCCESS) {
            linkState.write(informationBuffer, 0);
            bytesWritten = NdisLinkState.SIZEOF_REVISION_1;
        }
        return status;
    }

    /** An NDIS_OFFLOAD (OID_TCP_OFFLOAD_CURRENT_CONFIG), its header's size. */
    public int queryOffload(NdisOffload offload) {
        int status = ensureQueryLength(offload.header().size());
        if (status == NdisStatus.SUCCESS) {
            offload.write(informationBuffer, 0);
            bytesWritten = offload.header().size();
        }
        return status;
    }

    /** An NDIS_RECEIVE_SCALE_CAPABILITIES (OID_GEN_RECEIVE_SCALE_CAPABILITIES). */
    public int queryReceiveScaleCapabilities(NdisReceiveScaleCapabilities caps) {
        int status = ensureQueryLength(caps.writtenSize());
        if (status == NdisStatus.SUCCESS) {
            caps.write(informationBuffer, 0);
            bytesWritten = caps.writtenSize();
        }
        return status;
    }

    /** Reads a ULONG of a set request at {@code offset} (check {@link #requireLength} first). */
    public int readUlong(int offset) {
        bytesRead = Math.max(bytesRead, offset + 4);
        return informationBuffer.get(ULONG, offset);
    }

    /** Reads a MAC address of a set request at {@code offset}. */
    public MacAddress readMacAddress(int offset) {
        bytesRead = Math.max(bytesRead, offset + MacAddress.LENGTH);
        return MacAddress.read(informationBuffer, offset);
    }

    @Override
    public String toString() {
        return "NdisOidRequest{" + requestType + " " + Oid.name(oid) + " length=" + informationBufferLength() + "}";
    }
}
