package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.PauseParameters;

/**
 * MiniportPause: Running → Pausing. Returns SUCCESS, or PENDING and later calls
 * {@link Ndis#NdisMPauseComplete}. Pause cannot fail. Before completing, the miniport has completed
 * every outstanding send and every indicated receive has come back (docs/ndis-contract.md §3).
 */
@FunctionalInterface
public interface MiniportPause<A> {

    int pause(A miniportAdapterContext, PauseParameters pauseParameters);
}
