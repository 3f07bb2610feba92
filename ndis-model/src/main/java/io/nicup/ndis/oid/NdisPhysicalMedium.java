package io.nicup.ndis.oid;

/** NDIS_PHYSICAL_MEDIUM (PhysicalMediumType): names only. */
public enum NdisPhysicalMedium {
    NdisPhysicalMediumUnspecified,
    NdisPhysicalMedium802_3
}
