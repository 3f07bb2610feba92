package io.nicup.ndis.oid;

/** NET_IF_MEDIA_DUPLEX_STATE, with its C value (ntddndis.h enumeration order). */
public enum MediaDuplexState {
    MediaDuplexStateUnknown,
    MediaDuplexStateHalf,
    MediaDuplexStateFull;

    public int value() {
        return ordinal();
    }

    static MediaDuplexState ofValue(int v) {
        return v >= 0 && v < values().length ? values()[v] : null;
    }
}
