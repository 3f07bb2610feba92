package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.RestartParameters;

/**
 * MiniportRestart: Paused → Restarting. Returns SUCCESS, PENDING (then {@link Ndis#NdisMRestartComplete})
 * or a failure, which leaves the adapter Paused (docs/ndis-contract.md §3).
 */
@FunctionalInterface
public interface MiniportRestart<A> {

    int restart(A miniportAdapterContext, RestartParameters restartParameters);
}
