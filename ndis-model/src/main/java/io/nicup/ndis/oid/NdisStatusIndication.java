package io.nicup.ndis.oid;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;

/**
 * NDIS_STATUS_INDICATION as passed to {@link Ndis#NdisMIndicateStatusEx}: a status code and its buffer.
 * For {@link NdisStatus#LINK_STATE} the buffer is an {@link NdisLinkState}; NDIS keeps it and answers
 * OID_GEN_LINK_STATE from it.
 *
 * @param statusBuffer the payload: {@link NdisLinkState} for LINK_STATE, otherwise whatever the status
 *     defines (may be null)
 */
public record NdisStatusIndication(int statusCode, Object statusBuffer, int portNumber) {

    public static NdisStatusIndication linkState(NdisLinkState state) {
        return new NdisStatusIndication(NdisStatus.LINK_STATE, state, 0);
    }

    @Override
    public String toString() {
        return NdisStatus.name(statusCode) + (statusBuffer == null ? "" : " " + statusBuffer);
    }
}
