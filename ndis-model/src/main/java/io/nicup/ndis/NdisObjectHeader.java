package io.nicup.ndis;

/**
 * NDIS_OBJECT_HEADER: the Type, Revision and Size that open every versioned NDIS structure.
 *
 * {@snippet lang=c :
 * typedef struct _NDIS_OBJECT_HEADER {
 *     UCHAR  Type;
 *     UCHAR  Revision;
 *     USHORT Size;
 * } NDIS_OBJECT_HEADER;
 * }
 *
 * <p>The object type values are those of ndis.h (docs/ndis-contract.md §8 lists them as UNCONFIRMED; the
 * public copies of ndis.h and the windows-sys constants agree on 0x80, 0x8A, 0x9E and 0x9F).
 */
public record NdisObjectHeader(int type, int revision, int size) {

    public static final int NDIS_OBJECT_TYPE_DEFAULT = 0x80;
    public static final int NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS = 0x8A;
    public static final int NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES = 0x9E;
    public static final int NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES = 0x9F;

    /** A zeroed header, as in a structure the driver cleared with NdisZeroMemory and never filled in. */
    public static final NdisObjectHeader ZERO = new NdisObjectHeader(0, 0, 0);

    public NdisObjectHeader {
        if (type < 0 || type > 0xFF || revision < 0 || revision > 0xFF || size < 0 || size > 0xFFFF) {
            throw new IllegalArgumentException("NDIS_OBJECT_HEADER field out of range: type=" + type
                    + " revision=" + revision + " size=" + size);
        }
    }

    @Override
    public String toString() {
        return String.format("{Type=0x%02X Revision=%d Size=%d}", type, revision, size);
    }
}
