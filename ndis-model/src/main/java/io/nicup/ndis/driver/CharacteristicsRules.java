package io.nicup.ndis.driver;

import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisVersion;
import io.nicup.ndis.trace.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * The verifier's checks on what a driver passes to NdisMRegisterMiniportDriver, in the order NDIS makes
 * them: a documented NDIS version, a header whose revision and size match, known flags, no handler beyond
 * the header's revision, every mandatory handler, the Direct OID pair, and MiniportResetEx wherever
 * MiniportCheckForHangEx is given. (MiniportDriverCharacteristics and NdisMRegisterMiniportDriver
 * reference pages.)
 */
final class CharacteristicsRules {

    /** The first broken rule, the status the registration fails with, and what was wrong. */
    record Broken(Rule rule, int status, String detail) {
    }

    private CharacteristicsRules() {
    }

    /** The first rule {@code c} breaks, or null when it may be registered. */
    static Broken check(MiniportDriverCharacteristics<?, ?> c) {
        NdisVersion version = c.ndisVersion();
        if (!version.isDocumented()) {
            return new Broken(Rule.DRV_VERSION, NdisStatus.BAD_VERSION, "ndis_version=" + version);
        }
        NdisObjectHeader h = c.header();
        int maxRevision = version.maxCharacteristicsRevision();
        int expectedSize = MiniportDriverCharacteristics.sizeOfRevision(h.revision());
        if (h.type() != NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS || expectedSize < 0
                || h.revision() > maxRevision || h.size() != expectedSize) {
            return new Broken(Rule.DRV_HEADER, NdisStatus.BAD_CHARACTERISTICS, "header=" + h + " ndis_version="
                    + version + " max_revision=" + maxRevision + " expected_size=" + expectedSize);
        }
        int knownFlags = MiniportDriverCharacteristics.NDIS_INTERMEDIATE_DRIVER
                | MiniportDriverCharacteristics.NDIS_WDM_DRIVER;
        boolean intermediate = (c.flags() & MiniportDriverCharacteristics.NDIS_INTERMEDIATE_DRIVER) != 0;
        if ((c.flags() & ~knownFlags) != 0 || (intermediate && c.checkForHangHandlerEx() != null)) {
            return new Broken(Rule.DRV_FLAGS, NdisStatus.BAD_CHARACTERISTICS, String.format("flags=0x%X", c.flags())
                    + " check_for_hang=" + (c.checkForHangHandlerEx() != null));
        }
        List<String> beyond = new ArrayList<>();
        if (h.revision() < MiniportDriverCharacteristics.REVISION_2) {
            addIfSet(beyond, "DirectOidRequestHandler", c.directOidRequestHandler());
            addIfSet(beyond, "CancelDirectOidRequestHandler", c.cancelDirectOidRequestHandler());
        }
        if (h.revision() < MiniportDriverCharacteristics.REVISION_3) {
            addIfSet(beyond, "SynchronousOidRequestHandler", c.synchronousOidRequestHandler());
        }
        if (!beyond.isEmpty()) {
            return new Broken(Rule.DRV_HANDLER_BEYOND_REVISION, NdisStatus.BAD_CHARACTERISTICS,
                    "revision=" + h.revision() + " handlers=" + beyond);
        }
        List<String> missing = new ArrayList<>();
        addIfMissing(missing, "InitializeHandlerEx", c.initializeHandlerEx());
        addIfMissing(missing, "HaltHandlerEx", c.haltHandlerEx());
        addIfMissing(missing, "UnloadHandler", c.unloadHandler());
        addIfMissing(missing, "PauseHandler", c.pauseHandler());
        addIfMissing(missing, "RestartHandler", c.restartHandler());
        addIfMissing(missing, "OidRequestHandler", c.oidRequestHandler());
        addIfMissing(missing, "SendNetBufferListsHandler", c.sendNetBufferListsHandler());
        addIfMissing(missing, "ReturnNetBufferListsHandler", c.returnNetBufferListsHandler());
        addIfMissing(missing, "CancelSendHandler", c.cancelSendHandler());
        addIfMissing(missing, "DevicePnPEventNotifyHandler", c.devicePnPEventNotifyHandler());
        addIfMissing(missing, "ShutdownHandlerEx", c.shutdownHandlerEx());
        addIfMissing(missing, "CancelOidRequestHandler", c.cancelOidRequestHandler());
        if (!missing.isEmpty()) {
            return new Broken(Rule.DRV_REQUIRED_HANDLER, NdisStatus.BAD_CHARACTERISTICS, "missing=" + missing);
        }
        if ((c.directOidRequestHandler() == null) != (c.cancelDirectOidRequestHandler() == null)) {
            return new Broken(Rule.DRV_DIRECT_OID_PAIR, NdisStatus.BAD_CHARACTERISTICS,
                    "direct=" + (c.directOidRequestHandler() != null) + " cancel_direct="
                            + (c.cancelDirectOidRequestHandler() != null));
        }
        if (c.checkForHangHandlerEx() != null && c.resetHandlerEx() == null) {
            return new Broken(Rule.DRV_RESET_WITH_CHECK_FOR_HANG, NdisStatus.BAD_CHARACTERISTICS,
                    "check_for_hang=set reset=missing");
        }
        return null;
    }

    private static void addIfSet(List<String> names, String name, Object handler) {
        if (handler != null) {
            names.add(name);
        }
    }

    private static void addIfMissing(List<String> names, String name, Object handler) {
        if (handler == null) {
            names.add(name);
        }
    }
}
