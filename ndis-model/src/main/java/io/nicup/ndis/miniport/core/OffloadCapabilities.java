package io.nicup.ndis.miniport.core;

import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;

/**
 * What a chip's nicup driver really offloads: the per-chip hook the shared {@link OffloadOids} works over.
 * A family declares here the checksum, LSO and RSS support its data path implements (descriptor fields
 * filled in, receive verdicts read back, RSS registers programmed), and nothing else: NDIS and the
 * protocol believe it. Today no family implements any, so each declares {@link #NONE}; a chip that gains
 * checksum offload, LSO or RSS declares it in its profile, and the offload attributes, the OIDs and the
 * SupportedOidList follow.
 *
 * @param hardware the checksum and LSOv2 offloads (HardwareOffloadCapabilities); {@link NdisOffload#NONE}
 *     when none
 * @param receiveScale the RSS capabilities, or null without RSS
 */
public record OffloadCapabilities(NdisOffload hardware, NdisReceiveScaleCapabilities receiveScale) {

    /** No checksum offload, no LSO, no RSS. */
    public static final OffloadCapabilities NONE = new OffloadCapabilities(NdisOffload.NONE, null);

    public boolean offloads() {
        return hardware.any();
    }

    public boolean rss() {
        return receiveScale != null;
    }
}
