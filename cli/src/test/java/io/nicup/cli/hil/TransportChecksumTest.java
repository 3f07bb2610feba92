package io.nicup.cli.hil;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The reflector's checksum validation (TransportChecksum) on frames tshark validated in a capture of the QEMU
 * suite: a TCP/IPv4 and a UDP/IPv6 frame that nicup sent with checksum offload, completed by the host kernel.
 * Each fault that breaks a checksum makes it refuse the frame, so the reflector never hands a bad frame back as
 * validated.
 */
class TransportChecksumTest {

    private static final String TCP4 = "020000000071525400123457080045000032000040004006ae9ec6120001c6130001c0000009"
            + "00000000000000005018ffffaed90000000000003a3b3c3d3e3f";
    private static final String UDP6 = "02000000007452540012345786dd60000000000a11402001000200000000000000000000000120"
            + "010002000000000000000000000002c0000009000affc70000";

    private static byte[] frame(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    @Test
    void aTcpIpv4FrameWithItsChecksumsRightIsValidatedWithWhereItsChecksumIs() {
        TransportChecksum.Partial p = TransportChecksum.validated(frame(TCP4));
        assertThat(p).isNotNull();
        assertThat(p.start()).isEqualTo(34);
        assertThat(p.offset()).isEqualTo(16);
        // folded sum of 198.18.0.1, 198.19.0.1, protocol 6 and TCP length 30
        assertThat(p.pseudoHeaderSum()).isEqualTo(0xC612 + 0x0001 + 0xC613 + 0x0001 + 6 + 30 - 0xFFFF);
    }

    @Test
    void aUdpIpv6FrameWithItsChecksumRightIsValidated() {
        TransportChecksum.Partial p = TransportChecksum.validated(frame(UDP6));
        assertThat(p).isNotNull();
        assertThat(p.start()).isEqualTo(54);
        assertThat(p.offset()).isEqualTo(6);
    }

    @Test
    void aFlippedPayloadBitIsRefused() {
        byte[] f = frame(TCP4);
        f[f.length - 1] ^= 1;
        assertThat(TransportChecksum.isRight(f)).isFalse();
        byte[] g = frame(UDP6);
        g[g.length - 1] ^= 1;
        assertThat(TransportChecksum.isRight(g)).isFalse();
    }

    @Test
    void aWrongIpv4HeaderChecksumIsRefusedEvenWithTheTcpChecksumRight() {
        byte[] f = frame(TCP4);
        f[24] ^= 1;                                             // the IPv4 header checksum, not in the TCP sum
        assertThat(TransportChecksum.isRight(f)).isFalse();
    }

    @Test
    void aTruncatedFrameAndANonIpFrameAreRefused() {
        byte[] f = frame(TCP4);
        assertThat(TransportChecksum.isRight(java.util.Arrays.copyOf(f, f.length - 4))).isFalse();
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        assertThat(TransportChecksum.isRight(f)).isFalse();
    }
}
