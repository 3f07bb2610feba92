package io.nicup.ndis.trace;

/**
 * Every rule of the NDIS 6 miniport contract the verifier checks, in the spirit of Driver Verifier's
 * NDIS checks. Each has a stable id, the rule as one sentence, and where it comes from (section of
 * {@code docs/ndis-contract.md}, docs/ndis-contract.md §1.1, or the DDI/WDD page named there). Choices
 * nicup made where the documentation is silent say so in the text.
 */
public enum Rule {

    // --- Driver entry, registration, deregistration, unload (docs/ndis-contract.md §1, §4, §1.1) ---
    DRV_VERSION("DRV-01", "MajorNdisVersion is 6 and MinorNdisVersion a documented value; otherwise "
            + "registration fails with NDIS_STATUS_BAD_VERSION", "docs/ndis-contract.md §1; DDI nf-ndis-ndismregisterminiportdriver.md"),
    DRV_HEADER("DRV-02", "Header.Type is NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS, Header.Revision is 1-3 and "
            + "no newer than the NDIS version knows, and Header.Size is that revision's NDIS_SIZEOF; otherwise "
            + "NDIS_STATUS_BAD_CHARACTERISTICS", "docs/ndis-contract.md §1; DDI ns-ndis-_ndis_miniport_driver_characteristics.md"),
    DRV_HANDLER_BEYOND_REVISION("DRV-03", "a handler the declared revision does not contain (Direct OID pair before "
            + "revision 2, SynchronousOidRequestHandler before revision 3) is not set; otherwise "
            + "NDIS_STATUS_BAD_CHARACTERISTICS (nicup: NDIS would silently ignore it)", "docs/ndis-contract.md §1"),
    DRV_REQUIRED_HANDLER("DRV-04", "every required handler is set (InitializeHandlerEx, HaltHandlerEx, UnloadHandler, "
            + "PauseHandler, RestartHandler, SendNetBufferListsHandler, ReturnNetBufferListsHandler, CancelSendHandler, "
            + "DevicePnPEventNotifyHandler, ShutdownHandlerEx, CancelOidRequestHandler, OidRequestHandler); otherwise "
            + "NDIS_STATUS_BAD_CHARACTERISTICS (status UNCONFIRMED for NDIS 6; NDIS 5 returned it)", "docs/ndis-contract.md §1"),
    DRV_DIRECT_OID_PAIR("DRV-05", "DirectOidRequestHandler and CancelDirectOidRequestHandler are both set or both "
            + "absent; otherwise NDIS_STATUS_BAD_CHARACTERISTICS", "docs/ndis-contract.md §1"),
    DRV_RESET_WITH_CHECK_FOR_HANG("DRV-06", "a driver with CheckForHangHandlerEx has ResetHandlerEx; otherwise "
            + "NDIS_STATUS_BAD_CHARACTERISTICS", "docs/ndis-contract.md §1"),
    DRV_FLAGS("DRV-07", "Flags is 0, NDIS_INTERMEDIATE_DRIVER or NDIS_WDM_DRIVER, and an intermediate driver has no "
            + "CheckForHangHandlerEx; otherwise NDIS_STATUS_BAD_CHARACTERISTICS", "docs/ndis-contract.md §1"),
    DRV_REGISTER_ONCE("DRV-08", "NdisMRegisterMiniportDriver is called once, from DriverEntry; otherwise "
            + "NDIS_STATUS_FAILURE", "docs/ndis-contract.md §1; docs/ndis-contract.md §1.1"),
    DRV_ENTRY_SUCCESS_REGISTERED("DRV-09", "DriverEntry returns SUCCESS only with the driver registered and not "
            + "deregistered", "docs/ndis-contract.md §1.1"),
    DRV_ENTRY_FAILURE_DEREGISTERS("DRV-10", "if DriverEntry fails after NdisMRegisterMiniportDriver succeeded, it "
            + "calls NdisMDeregisterMiniportDriver before returning", "docs/ndis-contract.md §1.1; docs/ndis-contract.md §4"),
    DRV_DEREGISTER_ONCE("DRV-11", "NdisMDeregisterMiniportDriver is called exactly once for a registered driver",
            "docs/ndis-contract.md §1.1; DDI nf-ndis-ndismderegisterminiportdriver.md"),
    DRV_DEREGISTER_CONTEXT("DRV-12", "NdisMDeregisterMiniportDriver is called from DriverEntry (after a failure) or "
            + "from MiniportDriverUnload, and never while an adapter is not halted", "docs/ndis-contract.md §1.1; docs/ndis-contract.md §4"),
    DRV_UNLOAD_DEREGISTERS("DRV-13", "MiniportDriverUnload calls NdisMDeregisterMiniportDriver",
            "docs/ndis-contract.md §4; DDI nc-ndis-miniport_unload.md"),
    DRV_UNLOAD_AFTER_HALT("DRV-14", "the driver is unloaded only after every adapter has been halted",
            "docs/ndis-contract.md §4"),

    // --- Adapter initialization: attributes and resources (docs/ndis-contract.md §2) ---
    ATTR_ONLY_DURING_INITIALIZE("ATTR-01", "NdisMSetMiniportAttributes is called only from MiniportInitializeEx",
            "docs/ndis-contract.md §2"),
    ATTR_REGISTRATION_FIRST("ATTR-02", "the registration attributes are set first: before the general attributes, "
            + "before any hardware claim (NdisMMapIoSpace, NdisMRegisterInterruptEx) and before DMA set-up",
            "docs/ndis-contract.md §2"),
    ATTR_SET_ONCE("ATTR-03", "registration and general attributes are each set once per initialization",
            "docs/ndis-contract.md §2"),
    ATTR_HEADER("ATTR-04", "the attributes' Header.Type matches their kind and Header.Revision is supported; "
            + "otherwise NDIS_STATUS_BAD_VERSION", "docs/ndis-contract.md §2; DDI nf-ndis-ndismsetminiportattributes.md"),
    ATTR_GENERAL_COMPLETE("ATTR-05", "the general attributes carry every mandatory field (MAC addresses, MTU, link "
            + "speeds, media state, packet filters, multicast list size, IfType, supported OIDs; "
            + "PowerManagementCapabilitiesEx from NDIS 6.20); otherwise NDIS_STATUS_INVALID_PARAMETER (nicup's "
            + "choice: the DDI lists only SUCCESS and BAD_VERSION)", "docs/ndis-contract.md §2"),
    ATTR_GENERAL_MANDATORY("ATTR-06", "MiniportInitializeEx sets the general attributes before returning SUCCESS; "
            + "otherwise NDIS fails the initialization and calls MiniportHaltEx(NdisHaltDeviceInitializationFailed)",
            "docs/ndis-contract.md §2; DDI nc-ndis-miniport_halt.md"),
    INIT_STATUS("INIT-01", "MiniportInitializeEx returns SUCCESS, NOT_ACCEPTED, RESOURCES or FAILURE",
            "docs/ndis-contract.md §2; DDI nc-ndis-miniport_initialize.md"),
    INIT_FAILURE_RELEASES("INIT-02", "a failing MiniportInitializeEx has released everything it acquired",
            "docs/ndis-contract.md §2"),
    // --- Offload and RSS attributes and configuration (docs/ndis-contract.md §9, §10) ---
    OFFLOAD_ATTR_ORDER("OFL-01", "the offload and hardware-assist attributes are set inside MiniportInitializeEx, "
            + "after the registration and general attributes, each once; otherwise NDIS_STATUS_FAILURE",
            "docs/ndis-contract.md §2.3, §9; WDD initializing-a-miniport-adapter.md"),
    OFFLOAD_ATTR_HEADER("OFL-02", "the offload attributes (Type 0xA0, Revision 1), the hardware-assist attributes "
            + "(Type 0xAF, Revision 1-3 as far as the driver's NDIS version knows: 1 from 6.1, 2 from 6.20, 3 from 6.30) and each NDIS_OFFLOAD in them (Type 0xA7, Revision 1 or 2, Size at least "
            + "112 or 144) carry the documented header; otherwise NDIS_STATUS_BAD_VERSION",
            "docs/ndis-contract.md §9; DDI ns-ntddndis-_ndis_offload.md"),
    OFFLOAD_DEFAULT_WITHIN_HARDWARE("OFL-03", "the DefaultOffloadConfiguration enables nothing the "
            + "HardwareOffloadCapabilities lack (checksums, encapsulations, LSO sizes); otherwise "
            + "NDIS_STATUS_INVALID_PARAMETER (nicup's choice of status)", "docs/ndis-contract.md §9"),
    OFFLOAD_CURRENT_WITHIN_HARDWARE("OFL-04", "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG comes from an adapter that set "
            + "offload attributes and carries a well-formed NDIS_OFFLOAD within its hardware capabilities",
            "docs/ndis-contract.md §9; WDD ndis-status-task-offload-current-config.md"),
    RSS_CAPABILITIES("RSS-01", "the general attributes' RecvScaleCapabilities is a well-formed "
            + "NDIS_RECEIVE_SCALE_CAPABILITIES (Type 0x88, Revision 1 or 2, the Toeplitz function, at least one "
            + "receive queue and interrupt message, at most 128 table entries); otherwise NDIS_STATUS_INVALID_PARAMETER "
            + "(nicup's choice)", "docs/ndis-contract.md §10"),
    RSS_PARAMETERS_REFUSED("RSS-02", "an OID_GEN_RECEIVE_SCALE_PARAMETERS set that is invalid (header, hash function "
            + "or type the capabilities lack, key not 40 bytes, table not a power of two up to 128 entries, an entry "
            + "beyond the receive queues, a buffer short of its offsets) does not succeed",
            "docs/ndis-contract.md §10; HLK 1c_Mini6RSSOids"),
    DMA_BUS_MASTER("DMA-01", "NdisMRegisterScatterGatherDma needs NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER; otherwise "
            + "NDIS_STATUS_NOT_SUPPORTED", "docs/ndis-contract.md §2; DDI nf-ndis-ndismregisterscattergatherdma.md"),
    DMA_BEFORE_SHARED_MEMORY("DMA-02", "NdisMRegisterScatterGatherDma comes before NdisMAllocateSharedMemory, and "
            + "one DMA registration is held at a time", "docs/ndis-contract.md §2"),
    INTERRUPT_HANDLERS("INT-01", "NdisMRegisterInterruptEx gets ISR, DPC, enable and disable handlers (and the message "
            + "handlers when MsiSupported), and one registration is held at a time; otherwise "
            + "NDIS_STATUS_INVALID_PARAMETER (nicup's choice)", "docs/ndis-contract.md §2; DDI nf-ndis-ndismregisterinterruptex.md"),
    RES_RELEASE_UNKNOWN("RES-01", "only resources the adapter holds are released, each once", "docs/ndis-contract.md §4"),
    RES_RELEASE_ORDER("RES-02", "when a failed initialization or a halt releases hardware resources (I/O space, DMA "
            + "registration, shared memory), it releases them in reverse order of acquisition (checked when the "
            + "teardown ends, over what it released)", "docs/ndis-contract.md §4"),
    RES_INTERRUPT_FIRST("RES-03", "when a failed initialization or a halt deregisters the interrupt, it does so before "
            + "releasing any other hardware resource (the ISR may run until deregistration returns)",
            "docs/ndis-contract.md §4"),
    HALT_RELEASES("HALT-01", "MiniportHaltEx has released everything the adapter acquired", "docs/ndis-contract.md §4"),
    CALL_AFTER_HALT("HALT-02", "no NDIS call names an adapter after MiniportHaltEx returned (nor after a failed "
            + "MiniportInitializeEx)", "docs/ndis-contract.md §4"),
    TIMER_FREE_WHILE_SET("TMR-01", "a timer is cancelled (or has fired) before NdisFreeTimerObject",
            "docs/ndis-contract.md §4"),

    // --- Adapter states (docs/ndis-contract.md §3) ---
    STATE_PAUSE_COMPLETE("STATE-01", "NdisMPauseComplete is called once, only for a pause that returned "
            + "NDIS_STATUS_PENDING, while Pausing", "docs/ndis-contract.md §3"),
    STATE_RESTART_COMPLETE("STATE-02", "NdisMRestartComplete is called once, only for a restart that returned "
            + "NDIS_STATUS_PENDING, while Restarting", "docs/ndis-contract.md §3"),
    STATE_PAUSE_CANNOT_FAIL("STATE-03", "MiniportPause returns SUCCESS or PENDING; pause cannot fail",
            "docs/ndis-contract.md §3"),
    STATE_RESTART_STATUS("STATE-04", "MiniportRestart returns SUCCESS, PENDING or a failure status, never a "
            + "success code other than SUCCESS", "docs/ndis-contract.md §3"),
    PAUSE_SENDS_OUTSTANDING("STATE-05", "a pause completes only after every outstanding send has been completed",
            "docs/ndis-contract.md §3; WDD pausing-an-adapter.md"),
    PAUSE_RECEIVES_OUTSTANDING("STATE-06", "a pause completes only after every indicated receive NET_BUFFER_LIST "
            + "has been returned", "docs/ndis-contract.md §3; WDD pausing-an-adapter.md"),
    HANDLER_THREW("STATE-07", "a miniport handler returns normally (with a status); it never throws",
            "nicup (a C handler cannot throw)"),

    // --- Send and receive (docs/ndis-contract.md §5) ---
    SEND_COMPLETE_UNKNOWN("SEND-01", "NdisMSendNetBufferListsComplete completes only NBLs NDIS sent to this adapter",
            "docs/ndis-contract.md §5"),
    SEND_COMPLETE_TWICE("SEND-02", "each sent NBL is completed exactly once", "docs/ndis-contract.md §5"),
    SEND_COMPLETE_STATUS("SEND-03", "a completed NBL's status is SUCCESS, INVALID_LENGTH, RESOURCES, PAUSED, "
            + "SEND_ABORTED, RESET_IN_PROGRESS or FAILURE", "docs/ndis-contract.md §5"),
    SEND_WHILE_PAUSING("SEND-04", "sends that arrive while Pausing are completed with NDIS_STATUS_PAUSED",
            "docs/ndis-contract.md §3"),
    RECEIVE_STATE("RECV-01", "receives are indicated only while Running or Pausing", "docs/ndis-contract.md §3, §5"),
    RECEIVE_COUNT("RECV-02", "NumberOfNetBufferLists equals the length of the indicated chain",
            "docs/ndis-contract.md §5; DDI nf-ndis-ndismindicatereceivenetbufferlists.md"),
    RECEIVE_OWNERSHIP("RECV-03", "an NBL is indicated only while the miniport owns it (not while NDIS still holds "
            + "it from an earlier indication, not while it is a send)", "docs/ndis-contract.md §5"),
    RECEIVE_ONE_NET_BUFFER("RECV-04", "an Ethernet miniport indicates exactly one NET_BUFFER in each NBL",
            "docs/ndis-contract.md §16.2; WDD indicating-received-ethernet-frames.md"),
    NB_ZERO_LENGTH("NB-01", "an indicated NET_BUFFER carries a frame: DataLength is not 0 (nicup's reading of "
            + "\"each NET_BUFFER structure packages a packet\")", "docs/ndis-contract.md §16.2; WDD net-buffer-structure.md"),
    NB_BEYOND_MDL_CHAIN("NB-02", "an indicated NET_BUFFER's data lies within its MDL chain: DataOffset + DataLength is "
            + "no more than the ByteCounts of the MDLs (the chain does not end before the data does)",
            "docs/ndis-contract.md §16.2; DDI ns-nbl-net_buffer_data.md"),
    NB_CURRENT_MDL("NB-03", "an indicated NET_BUFFER's CurrentMdl is the MDL of its chain that holds the byte at "
            + "DataOffset, and CurrentMdlOffset that byte's offset in it", "docs/ndis-contract.md §16.2; DDI "
            + "nf-ndis-ndisallocatenetbuffer.md"),
    NBL_FREE_WHILE_OUTSTANDING("NBL-01", "an NBL is freed only by its owner, never while sent or indicated",
            "docs/ndis-contract.md §5"),
    NBL_POOL_OUTSTANDING("NBL-02", "an NBL pool is freed only when none of its NBLs is sent or indicated",
            "docs/ndis-contract.md §5"),

    // --- OID requests, status indications, reset (docs/ndis-contract.md §6) ---
    OID_COMPLETE_UNKNOWN("OID-01", "NdisMOidRequestComplete completes the pending request, once, and only after the "
            + "handler returned (or is returning) NDIS_STATUS_PENDING", "docs/ndis-contract.md §6"),
    OID_STATUS("OID-02", "an OID request ends with SUCCESS, PENDING, INVALID_OID, NOT_SUPPORTED, BUFFER_TOO_SHORT, "
            + "INVALID_LENGTH, INVALID_DATA, NOT_ACCEPTED, REQUEST_ABORTED, MULTICAST_FULL, RESOURCES or FAILURE "
            + "(the last two nicup's addition)", "docs/ndis-contract.md §6"),
    OID_BYTES_NEEDED("OID-03", "BUFFER_TOO_SHORT comes with BytesNeeded larger than the buffer, INVALID_LENGTH with "
            + "BytesNeeded set",
            "docs/ndis-contract.md §6"),
    OID_BYTES_WRITTEN("OID-04", "a successful query writes no more than the buffer holds", "docs/ndis-contract.md §6"),
    OID_LISTED_SUPPORTED("OID-05", "an OID in SupportedOidList is supported: it is never answered with INVALID_OID, "
            + "and a query of it not with NOT_SUPPORTED (a set may be NOT_SUPPORTED for its value, as an unsupported "
            + "packet filter is; a set-only OID, OID_TCP_OFFLOAD_PARAMETERS, may refuse a query)",
            "WDD oid-gen-supported-list.md"),
    OID_MULTICAST_LIST("OID-06", "a multicast list whose length is not a multiple of 6 fails with INVALID_LENGTH; more "
            + "entries than MaxMulticastListSize fail with MULTICAST_FULL", "docs/ndis-contract.md §6, §7"),
    OID_PACKET_FILTER("OID-07", "a packet filter with bits outside SupportedPacketFilters does not succeed",
            "docs/ndis-contract.md §2, §6"),
    OID_OUTSTANDING_AT_HALT("OID-08", "a cancelled OID request is completed (with REQUEST_ABORTED) before the adapter "
            + "halts", "docs/ndis-contract.md §4"),
    STATUS_INDICATION_STATE("IND-01", "status indications come from an initialized adapter (Paused, Restarting, "
            + "Running, Pausing) (nicup's choice)", "docs/ndis-contract.md §6"),
    STATUS_LINK_STATE_BUFFER("IND-02", "NDIS_STATUS_LINK_STATE carries a well-formed NDIS_LINK_STATE",
            "docs/ndis-contract.md §6"),
    RESET_COMPLETE("RST-01", "NdisMResetComplete is called once, only for a reset that returned NDIS_STATUS_PENDING",
            "DDI nc-ndis-miniport_reset.md"),

    // --- Timed rules, as Driver Verifier's NDIS/WIFI option times them (docs/ndis-contract.md §14) ---
    TIMED_OID_COMPLETE("TIME-01", "an OID request the miniport was given completes within 12 s of device time",
            "docs/ndis-contract.md §14; Driver Verifier rule NdisTimedOidComplete"),
    TIMED_DATA_SEND("TIME-02", "an NBL given to MiniportSendNetBufferLists is completed within 30 s of device time",
            "docs/ndis-contract.md §14; Driver Verifier rule NdisTimedDataSend"),
    TIMED_DATA_HANG("TIME-03", "while sends are outstanding, at least one is completed every 22 s of device time",
            "docs/ndis-contract.md §14; Driver Verifier rule NdisTimedDataHang"),
    TIMED_PAUSE_COMPLETE("TIME-04", "a pause completes within 10 s of device time (nicup's bound, taken from "
            + "NdisFilterTimedPauseComplete: no rule times a miniport's pause)",
            "docs/ndis-contract.md §14; Driver Verifier rule NdisFilterTimedPauseComplete");

    private final String id;
    private final String text;
    private final String source;

    Rule(String id, String text, String source) {
        this.id = id;
        this.text = text;
        this.source = source;
    }

    public String id() {
        return id;
    }

    /** The rule as one sentence. */
    public String text() {
        return text;
    }

    /** Where the rule comes from. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return id + " " + name();
    }
}
