package io.nicup.ndis;

import java.util.Map;
import java.util.TreeMap;

/**
 * NDIS_STATUS values with their exact numbers, and a name lookup for traces and messages.
 *
 * <p>An NDIS_STATUS is an NTSTATUS: the top two bits are the severity, so every error is a negative
 * {@code int} and {@link #isError(int)} is a sign test. PENDING (0x103) is a success code in NTSTATUS
 * terms; callers treat it separately.
 *
 * <p>{@link #SEND_ABORTED} has the same value as {@link #REQUEST_ABORTED}: the WDK's ndis.h defines
 * NDIS_STATUS_SEND_ABORTED as STATUS_NDIS_REQUEST_ABORTED. {@link #name(int)} therefore names
 * 0xC001000C {@code NDIS_STATUS_REQUEST_ABORTED}.
 */
public final class NdisStatus {

    // docs/ndis-contract.md §8 (values from ReactOS ndis.h / ntstatus.h unless noted)
    public static final int SUCCESS = 0x0000_0000;
    public static final int PENDING = 0x0000_0103;
    public static final int NOT_ACCEPTED = 0x0001_0003;
    public static final int MEDIA_CONNECT = 0x4001_000B;
    public static final int MEDIA_DISCONNECT = 0x4001_000C;
    public static final int LINK_STATE = 0x4001_0017;
    /** The offload configuration changed; the buffer is the new NDIS_OFFLOAD (docs/ndis-contract.md §9). */
    public static final int TASK_OFFLOAD_CURRENT_CONFIG = 0x4002_0006;
    public static final int HARD_ERRORS = 0x8001_0004;
    public static final int FAILURE = 0xC000_0001;
    public static final int INVALID_PARAMETER = 0xC000_000D;
    public static final int RESOURCES = 0xC000_009A;
    public static final int NOT_SUPPORTED = 0xC000_00BB;
    public static final int BAD_VERSION = 0xC001_0004;
    public static final int BAD_CHARACTERISTICS = 0xC001_0005;
    public static final int ADAPTER_NOT_FOUND = 0xC001_0006;
    public static final int MULTICAST_FULL = 0xC001_0009;
    public static final int REQUEST_ABORTED = 0xC001_000C;
    public static final int RESET_IN_PROGRESS = 0xC001_000D;
    public static final int INVALID_LENGTH = 0xC001_0014;
    public static final int INVALID_DATA = 0xC001_0015;
    public static final int BUFFER_TOO_SHORT = 0xC001_0016;
    public static final int INVALID_OID = 0xC001_0017;
    /** docs/ndis-contract.md §8 (WRS: windows-sys NDIS_STATUS_PAUSED). */
    public static final int PAUSED = 0xC023_002A;
    /**
     * docs/ndis-contract.md §8 marks it UNCONFIRMED; the WDK's ndis.h (public copies) defines it as
     * STATUS_NDIS_REQUEST_ABORTED, and windows-sys gives 0xc001000c.
     */
    public static final int SEND_ABORTED = REQUEST_ABORTED;

    private static final Map<Integer, String> NAMES = new TreeMap<>();

    static {
        NAMES.put(SUCCESS, "NDIS_STATUS_SUCCESS");
        NAMES.put(PENDING, "NDIS_STATUS_PENDING");
        NAMES.put(NOT_ACCEPTED, "NDIS_STATUS_NOT_ACCEPTED");
        NAMES.put(MEDIA_CONNECT, "NDIS_STATUS_MEDIA_CONNECT");
        NAMES.put(MEDIA_DISCONNECT, "NDIS_STATUS_MEDIA_DISCONNECT");
        NAMES.put(LINK_STATE, "NDIS_STATUS_LINK_STATE");
        NAMES.put(TASK_OFFLOAD_CURRENT_CONFIG, "NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG");
        NAMES.put(HARD_ERRORS, "NDIS_STATUS_HARD_ERRORS");
        NAMES.put(FAILURE, "NDIS_STATUS_FAILURE");
        NAMES.put(INVALID_PARAMETER, "NDIS_STATUS_INVALID_PARAMETER");
        NAMES.put(RESOURCES, "NDIS_STATUS_RESOURCES");
        NAMES.put(NOT_SUPPORTED, "NDIS_STATUS_NOT_SUPPORTED");
        NAMES.put(BAD_VERSION, "NDIS_STATUS_BAD_VERSION");
        NAMES.put(BAD_CHARACTERISTICS, "NDIS_STATUS_BAD_CHARACTERISTICS");
        NAMES.put(ADAPTER_NOT_FOUND, "NDIS_STATUS_ADAPTER_NOT_FOUND");
        NAMES.put(MULTICAST_FULL, "NDIS_STATUS_MULTICAST_FULL");
        NAMES.put(REQUEST_ABORTED, "NDIS_STATUS_REQUEST_ABORTED");
        NAMES.put(RESET_IN_PROGRESS, "NDIS_STATUS_RESET_IN_PROGRESS");
        NAMES.put(INVALID_LENGTH, "NDIS_STATUS_INVALID_LENGTH");
        NAMES.put(INVALID_DATA, "NDIS_STATUS_INVALID_DATA");
        NAMES.put(BUFFER_TOO_SHORT, "NDIS_STATUS_BUFFER_TOO_SHORT");
        NAMES.put(INVALID_OID, "NDIS_STATUS_INVALID_OID");
        NAMES.put(PAUSED, "NDIS_STATUS_PAUSED");
    }

    private NdisStatus() {
    }

    /** The ndis.h name, e.g. {@code NDIS_STATUS_RESOURCES}; unknown values as {@code 0x%08X}. */
    public static String name(int status) {
        String name = NAMES.get(status);
        return name != null ? name : hex(status);
    }

    /** The value for an ndis.h name (with or without the {@code NDIS_STATUS_} prefix), or -1 when unknown. */
    public static long valueOf(String name) {
        String wanted = name.startsWith("NDIS_STATUS_") ? name : "NDIS_STATUS_" + name;
        for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
            if (e.getValue().equals(wanted)) {
                return e.getKey() & 0xFFFF_FFFFL;
            }
        }
        return -1;
    }

    public static String hex(int status) {
        return String.format("0x%08X", status);
    }

    /** NT_SUCCESS: severity success or informational (PENDING included). */
    public static boolean isSuccess(int status) {
        return status >= 0;
    }

    /** Severity warning or error (top bit set). */
    public static boolean isError(int status) {
        return status < 0;
    }

    /** {@code 0xC000009A (NDIS_STATUS_RESOURCES)}: the form used in messages. */
    public static String describe(int status) {
        String name = NAMES.get(status);
        return name == null ? hex(status) : hex(status) + " (" + name + ")";
    }
}
