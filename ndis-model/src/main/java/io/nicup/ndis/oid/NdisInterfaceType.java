package io.nicup.ndis.oid;

/** NDIS_INTERFACE_TYPE of the registration attributes: names only; PCI is what nicup expects. */
public enum NdisInterfaceType {
    NdisInterfaceInternal,
    NdisInterfacePci
}
