package io.nicup.ndis.oid;

/** NDIS_MEDIUM (MediaType of the general attributes). nicup models 802.3 miniports only. */
public enum NdisMedium {
    NdisMedium802_3
}
