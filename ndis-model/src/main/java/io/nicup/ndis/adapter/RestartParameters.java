package io.nicup.ndis.adapter;

/** NDIS_MINIPORT_RESTART_PARAMETERS; nicup passes flags 0 and no restart attributes. */
public record RestartParameters(int flags) {

    public static final RestartParameters DEFAULT = new RestartParameters(0);
}
