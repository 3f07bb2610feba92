package io.nicup.ndis.oid;

/**
 * NDIS_PM_CAPABILITIES (PowerManagementCapabilitiesEx of the general attributes, mandatory from NDIS 6.20,
 * docs/ndis-contract.md §2), reduced to what a wired NIC bring-up needs.
 *
 * @param flags NDIS_PM_* capability flags, 0 for none
 * @param supportedWoLPacketPatterns NDIS_PM_WOL_* bits, 0 for none
 * @param numTotalWoLPatterns how many wake-on-LAN patterns the NIC holds
 */
public record NdisPmCapabilities(int flags, int supportedWoLPacketPatterns, int numTotalWoLPatterns) {

    /** No power management or wake capabilities. */
    public static final NdisPmCapabilities NONE = new NdisPmCapabilities(0, 0, 0);
}
