package io.nicup.ndis.adapter;

/**
 * NDIS_MINIPORT_PAUSE_PARAMETERS. nicup pauses only for its own reasons and passes 0 in both fields;
 * the reason constants of ndis.h are not in the project's fact sheet.
 */
public record PauseParameters(int flags, int pauseReason) {

    public static final PauseParameters DEFAULT = new PauseParameters(0, 0);
}
