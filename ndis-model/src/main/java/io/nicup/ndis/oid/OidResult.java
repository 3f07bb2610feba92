package io.nicup.ndis.oid;

import io.nicup.ndis.NdisStatus;

/**
 * How an OID request ended.
 *
 * @param answeredByNdis NDIS answered from the attributes (OID_GEN_LINK_STATE, OID_GEN_MAXIMUM_FRAME_SIZE,
 *     OID_GEN_SUPPORTED_LIST) without calling the miniport
 */
public record OidResult(int status, int bytesWritten, int bytesRead, int bytesNeeded, NdisOidRequest request,
        boolean answeredByNdis) {

    public boolean succeeded() {
        return status == NdisStatus.SUCCESS;
    }

    /** The first ULONG of the information buffer (queries). */
    public int ulong() {
        return request.informationBuffer().get(NdisOidRequest.ULONG, 0);
    }

    @Override
    public String toString() {
        return Oid.name(request.oid()) + " " + NdisStatus.name(status) + " written=" + bytesWritten + " read="
                + bytesRead + " needed=" + bytesNeeded;
    }
}
