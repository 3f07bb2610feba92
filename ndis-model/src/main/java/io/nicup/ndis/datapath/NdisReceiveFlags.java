package io.nicup.ndis.datapath;

/**
 * ReceiveFlags of NdisMIndicateReceiveNetBufferLists and ReturnFlags of the return. Values of the WDK's
 * ndis.h (public copies agree: NDIS_RECEIVE_FLAGS_DISPATCH_LEVEL 0x1, NDIS_RECEIVE_FLAGS_RESOURCES 0x2,
 * NDIS_RETURN_FLAGS_DISPATCH_LEVEL 0x1).
 */
public final class NdisReceiveFlags {

    public static final int DISPATCH_LEVEL = 0x0000_0001;
    /**
     * NDIS_RECEIVE_FLAGS_RESOURCES: the miniport takes the NBLs back as soon as the indication returns;
     * NDIS never calls MiniportReturnNetBufferLists for them (docs/ndis-contract.md §5).
     */
    public static final int RESOURCES = 0x0000_0002;
    /** NDIS_RETURN_FLAGS_DISPATCH_LEVEL. */
    public static final int RETURN_DISPATCH_LEVEL = 0x0000_0001;

    private NdisReceiveFlags() {
    }
}
