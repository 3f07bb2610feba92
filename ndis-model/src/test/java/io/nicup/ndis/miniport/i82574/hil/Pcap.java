package io.nicup.ndis.miniport.i82574.hil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classic libpcap file reader (what QEMU's filter-dump writes, docs/hardware-reference.md D.3): a 24-byte global header
 * (magic 0xa1b2c3d4 in the writer's byte order, version 2.4, snaplen, linktype 1 = Ethernet) and
 * records of a 16-byte header {ts_sec, ts_usec, incl_len, orig_len} followed by incl_len bytes.
 */
final class Pcap {

    static final int MAGIC = 0xA1B2C3D4;
    static final int LINKTYPE_ETHERNET = 1;

    private Pcap() {
    }

    /** The frames of {@code file}, in capture order. */
    static List<byte[]> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 24) {
            throw new IOException("pcap shorter than its 24-byte header: " + file + " size=" + b.remaining());
        }
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            b.order(ByteOrder.BIG_ENDIAN);
            if (b.getInt(0) != MAGIC) {
                throw new IOException(String.format("not a classic pcap: magic=0x%08X file=%s", magic, file));
            }
        }
        int linktype = b.getInt(20);
        if (linktype != LINKTYPE_ETHERNET) {
            throw new IOException("pcap linktype " + linktype + ", expected 1 (Ethernet): " + file);
        }
        List<byte[]> frames = new ArrayList<>();
        int pos = 24;
        while (pos + 16 <= b.limit()) {
            int caplen = b.getInt(pos + 8);
            if (caplen < 0 || pos + 16 + caplen > b.limit()) {
                break;                                   // a record still being written when QEMU stopped
            }
            frames.add(Arrays.copyOfRange(b.array(), pos + 16, pos + 16 + caplen));
            pos += 16 + caplen;
        }
        return frames;
    }
}
