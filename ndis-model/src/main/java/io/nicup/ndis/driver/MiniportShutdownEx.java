package io.nicup.ndis.driver;

import io.nicup.ndis.adapter.ShutdownAction;

/** MiniportShutdownEx: put the NIC in a known quiet state; the adapter is then Shutdown (terminal). */
@FunctionalInterface
public interface MiniportShutdownEx<A> {

    void shutdownEx(A miniportAdapterContext, ShutdownAction shutdownAction);
}
