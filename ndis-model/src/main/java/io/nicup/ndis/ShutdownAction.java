package io.nicup.ndis;

/** NDIS_SHUTDOWN_ACTION. */
public enum ShutdownAction {
    NdisShutdownPowerOff,
    NdisShutdownBugCheck
}
