package io.nicup.ndis.adapter;

import io.nicup.ndis.NdisStatus;

/**
 * What MiniportResetEx returns: its NDIS_STATUS and the AddressingReset out-parameter.
 *
 * @param status SUCCESS, PENDING or a failure
 * @param addressingReset NDIS must restore the packet filter and multicast list after the reset
 */
public record ResetResult(int status, boolean addressingReset) {

    public static final ResetResult SUCCESS = new ResetResult(NdisStatus.SUCCESS, false);
    public static final ResetResult PENDING = new ResetResult(NdisStatus.PENDING, false);
}
