package io.nicup.mock.virtio;

import static io.nicup.mock.virtio.WireChecksums.fold;
import static io.nicup.mock.virtio.WireChecksums.sum;
import static io.nicup.mock.virtio.WireChecksums.u16;

/**
 * The receive verdict the device writes into a frame's virtio_net_hdr.flags (virtio 1.2 5.1.6.4;
 * docs/hardware-reference.md C.9): with VIRTIO_NET_F_GUEST_CSUM, VIRTIO_NET_HDR_F_DATA_VALID when the frame
 * is IPv4 or IPv6 (no extension headers), not a fragment, TCP or UDP, and its IPv4 header checksum and its
 * transport checksum (pseudo-header included) are right; 0 otherwise, also for a UDP datagram without a
 * checksum (nothing was validated). The fault {@code rx-csum-always-valid} sets DATA_VALID on every TCP or
 * UDP frame, right or wrong.
 */
final class VirtioRxChecksum {

    static final int DATA_VALID = 2;

    private VirtioRxChecksum() {
    }

    static int flags(byte[] f, long negotiated, boolean alwaysValid) {
        if ((negotiated & VirtioNetModel.F_GUEST_CSUM) == 0) {
            return 0;
        }
        int ip = WireChecksums.ipOffset(f, f.length);
        if (ip < 0) {
            return 0;
        }
        boolean v6 = WireChecksums.isIpv6(f, ip);
        int protocol = WireChecksums.protocol(f, ip);
        int l4 = WireChecksums.l4Offset(f, ip, f.length);
        if (l4 < 0 || (protocol != WireChecksums.TCP && protocol != WireChecksums.UDP)
                || l4 + (protocol == WireChecksums.TCP ? 20 : 8) > f.length) {
            return 0;
        }
        if (alwaysValid) {
            return DATA_VALID;
        }
        int end = v6 ? ip + 40 + u16(f, ip + 4) : ip + u16(f, ip + 2);
        if (end > f.length || end < l4) {
            return 0;
        }
        if (!v6 && ((u16(f, ip + 6) & 0x3FFF) != 0 || fold(sum(f, ip, l4, 0)) != 0xFFFF)) {
            return 0;                                          // a fragment, or a bad header checksum
        }
        if (protocol == WireChecksums.UDP && !v6 && u16(f, l4 + 6) == 0) {
            return 0;                                          // no checksum sent: nothing to validate
        }
        long acc = WireChecksums.pseudoHeader(f, ip, end - l4) + sum(f, l4, end, 0);
        return fold(acc) == 0xFFFF ? DATA_VALID : 0;
    }
}
