package io.nicup.ndis;

/** NDIS_PHYSICAL_MEDIUM (PhysicalMediumType): names only. */
public enum NdisPhysicalMedium {
    NdisPhysicalMediumUnspecified,
    NdisPhysicalMedium802_3
}
