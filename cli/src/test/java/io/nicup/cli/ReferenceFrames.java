package io.nicup.cli;

import io.nicup.ndis.MacAddress;

/** Frame {@code seq} of a {@code send} run as the per-frame builder makes it: what the wire must see. */
final class ReferenceFrames {

    private ReferenceFrames() {
    }

    static byte[] frame(GeneratedFrames g, MacAddress src, int seq) {
        return g.frame(src, seq);
    }
}
