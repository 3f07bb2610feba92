package io.nicup.ndis.oid;

/** NDIS_SUPPORTED_PAUSE_FUNCTIONS (802.3x flow control), with its C value (ntddndis.h order). */
public enum NdisSupportedPauseFunctions {
    NdisPauseFunctionsUnsupported,
    NdisPauseFunctionsSendOnly,
    NdisPauseFunctionsReceiveOnly,
    NdisPauseFunctionsSendAndReceive,
    NdisPauseFunctionsUnknown;

    public int value() {
        return ordinal();
    }

    static NdisSupportedPauseFunctions ofValue(int v) {
        return v >= 0 && v < values().length ? values()[v] : null;
    }
}
