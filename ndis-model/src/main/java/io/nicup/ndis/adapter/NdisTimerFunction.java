package io.nicup.ndis.adapter;

/** NDIS_TIMER_FUNCTION: runs when an {@link NdisTimer} fires, with the context given at allocation. */
@FunctionalInterface
public interface NdisTimerFunction<C> {

    void timerFunction(C functionContext);
}
