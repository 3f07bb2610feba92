package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.ResetResult;

/**
 * MiniportResetEx: resets the NIC. Returns SUCCESS, PENDING (then {@link Ndis#NdisMResetComplete}) or a
 * failure. {@link ResetResult#addressingReset()} asks NDIS to restore the addressing information (packet
 * filter and multicast list), which the host does with ordinary set requests.
 */
@FunctionalInterface
public interface MiniportResetEx<A> {

    ResetResult resetEx(A miniportAdapterContext);
}
