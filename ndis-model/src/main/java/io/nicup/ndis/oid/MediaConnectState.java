package io.nicup.ndis.oid;

/** NET_IF_MEDIA_CONNECT_STATE, with its C value (ntddndis.h enumeration order). */
public enum MediaConnectState {
    MediaConnectStateUnknown,
    MediaConnectStateConnected,
    MediaConnectStateDisconnected;

    public int value() {
        return ordinal();
    }

    static MediaConnectState ofValue(int v) {
        return v >= 0 && v < values().length ? values()[v] : null;
    }
}
