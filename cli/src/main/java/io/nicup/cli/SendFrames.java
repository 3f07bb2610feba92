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

    /** How many frames the run sends. */
    int count() {
        return read != null ? read.size() : generated.count();
    }

    /**
     * Checks every frame against the adapter's MTU (USAGE otherwise): those of the pcap file, or the
     * largest generated size (a large send is cut to the MTU by the NIC).
     */
    void checkSizes(int mtu) {
        if (read == null) {
            if (generated.checksums() != IpHeaders.Checksums.LARGE_SEND) {
                Traffic.checkFrameSize("--size", generated.sizes().max(), mtu);
            }
            return;
        }
        for (int i = 0; i < read.size(); i++) {
            Traffic.checkFrameSize("frame " + i + " of " + pcap, read.get(i).length, mtu);
        }
    }

    /** The generator of the generated frames from {@code src}, each NBL carrying {@code offload}'s information. */
    FrameGenerator generator(MacAddress src, SendOffload offload) {
        return new FrameGenerator(generated, src, offload.checksumInfo(), offload.largeSendInfo());
    }

    /** The bytes of the first {@code ok} frames: what the confirmed sends carried. */
    long bytes(long ok) {
        if (read == null) {
            return generated.bytes(ok);
        }
        long bytes = 0;
        for (int i = 0; i < read.size() && i < ok; i++) {
            bytes += read.get(i).length;
        }
        return bytes;
    }
}
