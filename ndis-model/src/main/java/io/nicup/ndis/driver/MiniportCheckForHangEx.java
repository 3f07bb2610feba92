package io.nicup.ndis.driver;

/**
 * MiniportCheckForHangEx: called every CheckForHangTimeInSeconds (0 means 2 s); returning true makes
 * NDIS call {@link MiniportResetEx}. Requires a ResetHandlerEx; must be absent for intermediate drivers.
 */
@FunctionalInterface
public interface MiniportCheckForHangEx<A> {

    boolean checkForHangEx(A miniportAdapterContext);
}
