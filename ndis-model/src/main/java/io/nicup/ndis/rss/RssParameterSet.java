package io.nicup.ndis.rss;

import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The buffer of an OID_GEN_RECEIVE_SCALE_PARAMETERS set as a protocol driver builds it: an
 * NDIS_RECEIVE_SCALE_PARAMETERS of revision 2 (docs/ndis-contract.md §10; the layout is drawn in
 * {@link NdisReceiveScaleParameters}), the indirection table of PROCESSOR_NUMBER entries behind it, then the
 * secret key. Also Microsoft's verification key (docs/ndis-contract.md §10.3), with which a hash can be
 * checked by hand against the published table.
 */
public final class RssParameterSet {

    private static final byte[] VERIFICATION_KEY = {
        0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3,
        (byte) 0x8f, (byte) 0xb0, (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
        0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c, 0x6a, 0x42, (byte) 0xb7, 0x3b,
        (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa};
    private static final int REVISION = 2;

    private RssParameterSet() {
    }

    /** Microsoft's RSS verification key (WDD "Verifying the RSS Hash Calculation"), a fresh copy. */
    public static byte[] verificationKey() {
        return VERIFICATION_KEY.clone();
    }

    /**
     * A revision-2 set: {@code flags} (NDIS_RSS_PARAM_FLAG_*), {@code hashInformation} (types | function), the
     * indirection table naming processor {@code table[i]} of group 0 in entry i, and {@code key}.
     */
    public static byte[] revision2(int flags, int hashInformation, int[] table, byte[] key) {
        int header = NdisReceiveScaleParameters.SIZEOF_REVISION[REVISION];
        byte[] out = new byte[header + 4 * table.length + key.length];
        MemorySegment b = MemorySegment.ofArray(out);
        b.set(ValueLayout.JAVA_BYTE, 0, (byte) NdisReceiveScaleParameters.NDIS_OBJECT_TYPE_RSS_PARAMETERS);
        b.set(ValueLayout.JAVA_BYTE, 1, (byte) REVISION);
        b.set(NdisOidRequest.USHORT, 2, (short) header);
        b.set(NdisOidRequest.USHORT, 4, (short) flags);
        b.set(NdisOidRequest.ULONG, 8, hashInformation);
        b.set(NdisOidRequest.USHORT, 12, (short) (4 * table.length));
        b.set(NdisOidRequest.ULONG, 16, header);
        b.set(NdisOidRequest.USHORT, 20, (short) key.length);
        b.set(NdisOidRequest.ULONG, 24, header + 4 * table.length);
        for (int i = 0; i < table.length; i++) {
            b.set(ValueLayout.JAVA_BYTE, header + 4L * i + 2, (byte) table[i]);   // PROCESSOR_NUMBER.Number
        }
        System.arraycopy(key, 0, out, header + 4 * table.length, key.length);
        return out;
    }

    /** A table of {@code entries} naming queues 0 to {@code queues} - 1 in turn. */
    public static int[] roundRobin(int entries, int queues) {
        int[] t = new int[entries];
        for (int i = 0; i < entries; i++) {
            t[i] = i % Math.max(1, queues);
        }
        return t;
    }
}
