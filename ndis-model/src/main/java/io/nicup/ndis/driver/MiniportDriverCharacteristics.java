package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.NdisVersion;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * NDIS_MINIPORT_DRIVER_CHARACTERISTICS: what a miniport fills in inside DriverEntry and passes to
 * {@link Ndis#NdisMRegisterMiniportDriver}. Like the C structure a new instance is zeroed (header
 * {@link NdisObjectHeader#ZERO}, every handler null) and the driver sets each field. NDIS copies it at
 * registration, so changing this object afterwards has no effect (docs/ndis-contract.md §1).
 *
 * <p>{@code D} is the driver context type (MiniportDriverContext), {@code A} the adapter context type
 * (MiniportAdapterContext, set in the registration attributes); every adapter handler receives its
 * {@code A}, so handlers are usually method references on the adapter class ({@code E1000Adapter::pause}).
 *
 * <p>The header's Size must equal the NDIS_SIZEOF of its revision. Those sizes are computed from the
 * C layout below with this platform's pointer size (x86-64: 136, 152 and 160 bytes):
 *
 * {@snippet lang=c :
 * typedef struct _NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
 *     NDIS_OBJECT_HEADER Header;               // Type 0x8A
 *     UCHAR MajorNdisVersion;
 *     UCHAR MinorNdisVersion;
 *     UCHAR MajorDriverVersion;
 *     UCHAR MinorDriverVersion;
 *     ULONG Flags;
 *     SET_OPTIONS_HANDLER SetOptionsHandler;
 *     MINIPORT_INITIALIZE_HANDLER InitializeHandlerEx;
 *     MINIPORT_HALT_HANDLER HaltHandlerEx;
 *     MINIPORT_DRIVER_UNLOAD UnloadHandler;
 *     MINIPORT_PAUSE_HANDLER PauseHandler;
 *     MINIPORT_RESTART_HANDLER RestartHandler;
 *     MINIPORT_OID_REQUEST_HANDLER OidRequestHandler;
 *     MINIPORT_SEND_NET_BUFFER_LISTS_HANDLER SendNetBufferListsHandler;
 *     MINIPORT_RETURN_NET_BUFFER_LISTS_HANDLER ReturnNetBufferListsHandler;
 *     MINIPORT_CANCEL_SEND_HANDLER CancelSendHandler;
 *     MINIPORT_CHECK_FOR_HANG_HANDLER CheckForHangHandlerEx;
 *     MINIPORT_RESET_HANDLER ResetHandlerEx;
 *     MINIPORT_DEVICE_PNP_EVENT_NOTIFY_HANDLER DevicePnPEventNotifyHandler;
 *     MINIPORT_SHUTDOWN_HANDLER ShutdownHandlerEx;
 *     MINIPORT_CANCEL_OID_REQUEST_HANDLER CancelOidRequestHandler;   // end of revision 1 (NDIS 6.0)
 *     MINIPORT_DIRECT_OID_REQUEST_HANDLER DirectOidRequestHandler;
 *     MINIPORT_CANCEL_DIRECT_OID_REQUEST_HANDLER CancelDirectOidRequestHandler; // end of revision 2 (6.1)
 *     MINIPORT_SYNCHRONOUS_OID_REQUEST_HANDLER SynchronousOidRequestHandler;    // end of revision 3 (6.80)
 * } NDIS_MINIPORT_DRIVER_CHARACTERISTICS;
 * }
 * (field order: DDI ns-ndis-_ndis_miniport_driver_characteristics.md)
 */
public final class MiniportDriverCharacteristics<D, A> {

    public static final int REVISION_1 = 1;
    public static final int REVISION_2 = 2;
    public static final int REVISION_3 = 3;

    /** Flags (docs/ndis-contract.md §1). */
    public static final int NDIS_INTERMEDIATE_DRIVER = 0x0000_0001;
    public static final int NDIS_WDM_DRIVER = 0x0000_0002;

    /** The C structure, for its sizes; pointers have this platform's width. */
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            MemoryLayout.structLayout(
                    ValueLayout.JAVA_BYTE.withName("Type"),
                    ValueLayout.JAVA_BYTE.withName("Revision"),
                    ValueLayout.JAVA_SHORT.withName("Size")).withName("Header"),
            ValueLayout.JAVA_BYTE.withName("MajorNdisVersion"),
            ValueLayout.JAVA_BYTE.withName("MinorNdisVersion"),
            ValueLayout.JAVA_BYTE.withName("MajorDriverVersion"),
            ValueLayout.JAVA_BYTE.withName("MinorDriverVersion"),
            ValueLayout.JAVA_INT.withName("Flags"),
            MemoryLayout.paddingLayout(ValueLayout.ADDRESS.byteAlignment() - 4),
            ValueLayout.ADDRESS.withName("SetOptionsHandler"),
            ValueLayout.ADDRESS.withName("InitializeHandlerEx"),
            ValueLayout.ADDRESS.withName("HaltHandlerEx"),
            ValueLayout.ADDRESS.withName("UnloadHandler"),
            ValueLayout.ADDRESS.withName("PauseHandler"),
            ValueLayout.ADDRESS.withName("RestartHandler"),
            ValueLayout.ADDRESS.withName("OidRequestHandler"),
            ValueLayout.ADDRESS.withName("SendNetBufferListsHandler"),
            ValueLayout.ADDRESS.withName("ReturnNetBufferListsHandler"),
            ValueLayout.ADDRESS.withName("CancelSendHandler"),
            ValueLayout.ADDRESS.withName("CheckForHangHandlerEx"),
            ValueLayout.ADDRESS.withName("ResetHandlerEx"),
            ValueLayout.ADDRESS.withName("DevicePnPEventNotifyHandler"),
            ValueLayout.ADDRESS.withName("ShutdownHandlerEx"),
            ValueLayout.ADDRESS.withName("CancelOidRequestHandler"),
            ValueLayout.ADDRESS.withName("DirectOidRequestHandler"),
            ValueLayout.ADDRESS.withName("CancelDirectOidRequestHandler"),
            ValueLayout.ADDRESS.withName("SynchronousOidRequestHandler"));

    /** NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_1: through CancelOidRequestHandler. */
    public static final int SIZEOF_REVISION_1 = sizeThrough("CancelOidRequestHandler");
    /** NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_2: through CancelDirectOidRequestHandler. */
    public static final int SIZEOF_REVISION_2 = sizeThrough("CancelDirectOidRequestHandler");
    /** NDIS_SIZEOF_MINIPORT_DRIVER_CHARACTERISTICS_REVISION_3: through SynchronousOidRequestHandler. */
    public static final int SIZEOF_REVISION_3 = sizeThrough("SynchronousOidRequestHandler");

    private static int sizeThrough(String field) {
        return (int) (LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field)) + ValueLayout.ADDRESS.byteSize());
    }

    /** NDIS_SIZEOF for a revision 1-3, -1 for any other. */
    public static int sizeOfRevision(int revision) {
        return switch (revision) {
            case REVISION_1 -> SIZEOF_REVISION_1;
            case REVISION_2 -> SIZEOF_REVISION_2;
            case REVISION_3 -> SIZEOF_REVISION_3;
            default -> -1;
        };
    }

    /** The correct header for a revision: Type 0x8A, that revision, its NDIS_SIZEOF. */
    public static NdisObjectHeader headerFor(int revision) {
        return new NdisObjectHeader(NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS, revision,
                Math.max(0, sizeOfRevision(revision)));
    }

    private NdisObjectHeader header = NdisObjectHeader.ZERO;
    private int majorNdisVersion;
    private int minorNdisVersion;
    private int majorDriverVersion;
    private int minorDriverVersion;
    private int flags;
    private MiniportSetOptions<D> setOptionsHandler;
    private MiniportInitializeEx<D> initializeHandlerEx;
    private MiniportHaltEx<A> haltHandlerEx;
    private MiniportDriverUnload unloadHandler;
    private MiniportPause<A> pauseHandler;
    private MiniportRestart<A> restartHandler;
    private MiniportOidRequest<A> oidRequestHandler;
    private MiniportSendNetBufferLists<A> sendNetBufferListsHandler;
    private MiniportReturnNetBufferLists<A> returnNetBufferListsHandler;
    private MiniportCancelSend<A> cancelSendHandler;
    private MiniportCheckForHangEx<A> checkForHangHandlerEx;
    private MiniportResetEx<A> resetHandlerEx;
    private MiniportDevicePnPEventNotify<A> devicePnPEventNotifyHandler;
    private MiniportShutdownEx<A> shutdownHandlerEx;
    private MiniportCancelOidRequest<A> cancelOidRequestHandler;
    private MiniportDirectOidRequest<A> directOidRequestHandler;
    private MiniportCancelDirectOidRequest<A> cancelDirectOidRequestHandler;
    private MiniportSynchronousOidRequest<A> synchronousOidRequestHandler;

    /** A zeroed structure. */
    public MiniportDriverCharacteristics() {
    }

    /** The copy NDIS keeps. */
    MiniportDriverCharacteristics<D, A> copy() {
        MiniportDriverCharacteristics<D, A> c = new MiniportDriverCharacteristics<>();
        c.header = header;
        c.majorNdisVersion = majorNdisVersion;
        c.minorNdisVersion = minorNdisVersion;
        c.majorDriverVersion = majorDriverVersion;
        c.minorDriverVersion = minorDriverVersion;
        c.flags = flags;
        c.setOptionsHandler = setOptionsHandler;
        c.initializeHandlerEx = initializeHandlerEx;
        c.haltHandlerEx = haltHandlerEx;
        c.unloadHandler = unloadHandler;
        c.pauseHandler = pauseHandler;
        c.restartHandler = restartHandler;
        c.oidRequestHandler = oidRequestHandler;
        c.sendNetBufferListsHandler = sendNetBufferListsHandler;
        c.returnNetBufferListsHandler = returnNetBufferListsHandler;
        c.cancelSendHandler = cancelSendHandler;
        c.checkForHangHandlerEx = checkForHangHandlerEx;
        c.resetHandlerEx = resetHandlerEx;
        c.devicePnPEventNotifyHandler = devicePnPEventNotifyHandler;
        c.shutdownHandlerEx = shutdownHandlerEx;
        c.cancelOidRequestHandler = cancelOidRequestHandler;
        c.directOidRequestHandler = directOidRequestHandler;
        c.cancelDirectOidRequestHandler = cancelDirectOidRequestHandler;
        c.synchronousOidRequestHandler = synchronousOidRequestHandler;
        return c;
    }

    public NdisObjectHeader header() {
        return header;
    }

    public MiniportDriverCharacteristics<D, A> header(NdisObjectHeader value) {
        this.header = value;
        return this;
    }

    public NdisVersion ndisVersion() {
        return new NdisVersion(majorNdisVersion, minorNdisVersion);
    }

    public int majorNdisVersion() {
        return majorNdisVersion;
    }

    public MiniportDriverCharacteristics<D, A> majorNdisVersion(int value) {
        this.majorNdisVersion = uchar("MajorNdisVersion", value);
        return this;
    }

    public int minorNdisVersion() {
        return minorNdisVersion;
    }

    public MiniportDriverCharacteristics<D, A> minorNdisVersion(int value) {
        this.minorNdisVersion = uchar("MinorNdisVersion", value);
        return this;
    }

    /** Sets MajorNdisVersion and MinorNdisVersion. */
    public MiniportDriverCharacteristics<D, A> ndisVersion(NdisVersion version) {
        return majorNdisVersion(version.major()).minorNdisVersion(version.minor());
    }

    public int majorDriverVersion() {
        return majorDriverVersion;
    }

    public MiniportDriverCharacteristics<D, A> majorDriverVersion(int value) {
        this.majorDriverVersion = uchar("MajorDriverVersion", value);
        return this;
    }

    public int minorDriverVersion() {
        return minorDriverVersion;
    }

    public MiniportDriverCharacteristics<D, A> minorDriverVersion(int value) {
        this.minorDriverVersion = uchar("MinorDriverVersion", value);
        return this;
    }

    public int flags() {
        return flags;
    }

    public MiniportDriverCharacteristics<D, A> flags(int value) {
        this.flags = value;
        return this;
    }

    public MiniportSetOptions<D> setOptionsHandler() {
        return setOptionsHandler;
    }

    public MiniportDriverCharacteristics<D, A> setOptionsHandler(MiniportSetOptions<D> handler) {
        this.setOptionsHandler = handler;
        return this;
    }

    public MiniportInitializeEx<D> initializeHandlerEx() {
        return initializeHandlerEx;
    }

    public MiniportDriverCharacteristics<D, A> initializeHandlerEx(MiniportInitializeEx<D> handler) {
        this.initializeHandlerEx = handler;
        return this;
    }

    public MiniportHaltEx<A> haltHandlerEx() {
        return haltHandlerEx;
    }

    public MiniportDriverCharacteristics<D, A> haltHandlerEx(MiniportHaltEx<A> handler) {
        this.haltHandlerEx = handler;
        return this;
    }

    public MiniportDriverUnload unloadHandler() {
        return unloadHandler;
    }

    public MiniportDriverCharacteristics<D, A> unloadHandler(MiniportDriverUnload handler) {
        this.unloadHandler = handler;
        return this;
    }

    public MiniportPause<A> pauseHandler() {
        return pauseHandler;
    }

    public MiniportDriverCharacteristics<D, A> pauseHandler(MiniportPause<A> handler) {
        this.pauseHandler = handler;
        return this;
    }

    public MiniportRestart<A> restartHandler() {
        return restartHandler;
    }

    public MiniportDriverCharacteristics<D, A> restartHandler(MiniportRestart<A> handler) {
        this.restartHandler = handler;
        return this;
    }

    public MiniportOidRequest<A> oidRequestHandler() {
        return oidRequestHandler;
    }

    public MiniportDriverCharacteristics<D, A> oidRequestHandler(MiniportOidRequest<A> handler) {
        this.oidRequestHandler = handler;
        return this;
    }

    public MiniportSendNetBufferLists<A> sendNetBufferListsHandler() {
        return sendNetBufferListsHandler;
    }

    public MiniportDriverCharacteristics<D, A> sendNetBufferListsHandler(MiniportSendNetBufferLists<A> handler) {
        this.sendNetBufferListsHandler = handler;
        return this;
    }

    public MiniportReturnNetBufferLists<A> returnNetBufferListsHandler() {
        return returnNetBufferListsHandler;
    }

    public MiniportDriverCharacteristics<D, A> returnNetBufferListsHandler(MiniportReturnNetBufferLists<A> handler) {
        this.returnNetBufferListsHandler = handler;
        return this;
    }

    public MiniportCancelSend<A> cancelSendHandler() {
        return cancelSendHandler;
    }

    public MiniportDriverCharacteristics<D, A> cancelSendHandler(MiniportCancelSend<A> handler) {
        this.cancelSendHandler = handler;
        return this;
    }

    public MiniportCheckForHangEx<A> checkForHangHandlerEx() {
        return checkForHangHandlerEx;
    }

    public MiniportDriverCharacteristics<D, A> checkForHangHandlerEx(MiniportCheckForHangEx<A> handler) {
        this.checkForHangHandlerEx = handler;
        return this;
    }

    public MiniportResetEx<A> resetHandlerEx() {
        return resetHandlerEx;
    }

    public MiniportDriverCharacteristics<D, A> resetHandlerEx(MiniportResetEx<A> handler) {
        this.resetHandlerEx = handler;
        return this;
    }

    public MiniportDevicePnPEventNotify<A> devicePnPEventNotifyHandler() {
        return devicePnPEventNotifyHandler;
    }

    public MiniportDriverCharacteristics<D, A> devicePnPEventNotifyHandler(MiniportDevicePnPEventNotify<A> handler) {
        this.devicePnPEventNotifyHandler = handler;
        return this;
    }

    public MiniportShutdownEx<A> shutdownHandlerEx() {
        return shutdownHandlerEx;
    }

    public MiniportDriverCharacteristics<D, A> shutdownHandlerEx(MiniportShutdownEx<A> handler) {
        this.shutdownHandlerEx = handler;
        return this;
    }

    public MiniportCancelOidRequest<A> cancelOidRequestHandler() {
        return cancelOidRequestHandler;
    }

    public MiniportDriverCharacteristics<D, A> cancelOidRequestHandler(MiniportCancelOidRequest<A> handler) {
        this.cancelOidRequestHandler = handler;
        return this;
    }

    public MiniportDirectOidRequest<A> directOidRequestHandler() {
        return directOidRequestHandler;
    }

    public MiniportDriverCharacteristics<D, A> directOidRequestHandler(MiniportDirectOidRequest<A> handler) {
        this.directOidRequestHandler = handler;
        return this;
    }

    public MiniportCancelDirectOidRequest<A> cancelDirectOidRequestHandler() {
        return cancelDirectOidRequestHandler;
    }

    public MiniportDriverCharacteristics<D, A> cancelDirectOidRequestHandler(
            MiniportCancelDirectOidRequest<A> handler) {
        this.cancelDirectOidRequestHandler = handler;
        return this;
    }

    public MiniportSynchronousOidRequest<A> synchronousOidRequestHandler() {
        return synchronousOidRequestHandler;
    }

    public MiniportDriverCharacteristics<D, A> synchronousOidRequestHandler(
            MiniportSynchronousOidRequest<A> handler) {
        this.synchronousOidRequestHandler = handler;
        return this;
    }

    private static int uchar(String field, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(field + " is a UCHAR: value=" + value);
        }
        return value;
    }
}
