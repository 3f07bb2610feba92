package io.nicup.ndis.adapter;

/** NDIS_SHUTDOWN_ACTION. */
public enum ShutdownAction {
    NdisShutdownPowerOff,
    NdisShutdownBugCheck
}
