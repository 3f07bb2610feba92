package io.nicup.cli;

import io.nicup.ndis.MacAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * The frames {@code send} was asked to send: those of a pcap file (read and checked before the device is
 * touched), or generated ones ({@link GeneratedFrames}), made from the adapter's MAC once it is up.
 */
record SendFrames(Path pcap, List<byte[]> read, GeneratedFrames generated) {

    /** The frames of {@code pcap}, or of standard input ({@code stdin}) for {@code -}. */
    static SendFrames of(Path pcap, java.util.function.Supplier<java.io.InputStream> stdin) {
        return new SendFrames(pcap, Traffic.readPcap(pcap, Traffic.MAX_COUNT, stdin), null);
    }

    static SendFrames generated(GeneratedFrames generated) {
        return new SendFrames(null, null, generated);
    }

    /** The frames, from {@code src}; each one checked against the adapter's MTU (USAGE otherwise). */
    List<byte[]> frames(MacAddress src, int mtu) {
        if (read == null) {
            if (generated.checksums() != IpHeaders.Checksums.LARGE_SEND) {   // a large send is cut to the MTU
                Traffic.checkFrameSize("--size", generated.sizes().max(), mtu);
            }
            return generated.frames(src);
        }
        for (int i = 0; i < read.size(); i++) {
            Traffic.checkFrameSize("frame " + i + " of " + pcap, read.get(i).length, mtu);
        }
        return read;
    }

    /** The bytes of the first {@code ok} frames of {@code frames}: what the confirmed sends carried. */
    long bytes(List<byte[]> frames, long ok) {
        if (read == null) {
            return generated.bytes(ok);
        }
        long bytes = 0;
        for (int i = 0; i < frames.size() && i < ok; i++) {
            bytes += frames.get(i).length;
        }
        return bytes;
    }
}
