package io.nicup.ndis.rss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The software Toeplitz hash on Microsoft's published verification data: the key and both tables of
 * WDD {@code verifying-the-rss-hash-calculation}, written down in docs/ndis-contract.md §10.3.
 */
class ToeplitzTest {

    /** docs/ndis-contract.md §10.3: the verification key. */
    static final byte[] VERIFICATION_KEY = {
        0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2,
        0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3, (byte) 0x8f, (byte) 0xb0,
        (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
        0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c,
        0x6a, 0x42, (byte) 0xb7, 0x3b, (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa};

    private final Toeplitz toeplitz = new Toeplitz(VERIFICATION_KEY);
    private volatile int blackhole;

    @ParameterizedTest(name = "{0}:{1} <- {2}:{3}")
    @CsvSource({
        // destination, port, source, port, IPv4 only, IPv4 with TCP (docs/ndis-contract.md §10.3)
        "161.142.100.80, 1766, 66.9.149.187, 2794, 0x323e8fc2, 0x51ccc178",
        "65.69.140.83, 4739, 199.92.111.2, 14230, 0xd718262a, 0xc626b0ea",
        "12.22.207.184, 38024, 24.19.198.95, 12898, 0xd2d0a5de, 0x5c2b394a",
        "209.142.163.6, 2217, 38.27.205.30, 48228, 0x82989176, 0xafc7327f",
        "202.188.127.2, 1303, 153.39.163.191, 44251, 0x5d1809c5, 0x10e828a2"})
    void ipv4HashesMatchTheVerificationTable(String destination, int destinationPort, String source, int sourcePort,
            String ipOnly, String withTcp) throws UnknownHostException {
        int src = ipv4(source);
        int dst = ipv4(destination);
        assertThat(toeplitz.ipv4(src, dst)).isEqualTo(Integer.parseUnsignedInt(ipOnly.substring(2), 16));
        assertThat(toeplitz.ipv4(src, dst, sourcePort, destinationPort))
                .isEqualTo(Integer.parseUnsignedInt(withTcp.substring(2), 16));
    }

    @ParameterizedTest(name = "{0}:{1} <- {2}:{3}")
    @CsvSource({
        // destination, port, source, port, IPv6 only, IPv6 with TCP (docs/ndis-contract.md §10.3)
        "3ffe:2501:200:3::1, 1766, 3ffe:2501:200:1fff::7, 2794, 0x2cc18cd5, 0x40207d3d",
        "ff02::1, 4739, 3ffe:501:8::260:97ff:fe40:efab, 14230, 0x0f0c461c, 0xdde51bbf",
        "fe80::200:f8ff:fe21:67cf, 38024, 3ffe:1900:4545:3:200:f8ff:fe21:67cf, 44251, 0x4b61e985, 0x02d1feef"})
    void ipv6HashesMatchTheVerificationTable(String destination, int destinationPort, String source, int sourcePort,
            String ipOnly, String withTcp) throws UnknownHostException {
        byte[] src = InetAddress.getByName(source).getAddress();
        byte[] dst = InetAddress.getByName(destination).getAddress();
        assertThat(toeplitz.ipv6(src, 0, dst, 0)).isEqualTo(Integer.parseUnsignedInt(ipOnly.substring(2), 16));
        assertThat(toeplitz.ipv6(src, 0, dst, 0, sourcePort, destinationPort))
                .isEqualTo(Integer.parseUnsignedInt(withTcp.substring(2), 16));
    }

    @Test
    void theByteStreamFormAgreesWithTheFieldForm() throws UnknownHostException {
        byte[] input = new byte[12];
        System.arraycopy(InetAddress.getByName("66.9.149.187").getAddress(), 0, input, 0, 4);
        System.arraycopy(InetAddress.getByName("161.142.100.80").getAddress(), 0, input, 4, 4);
        input[8] = (byte) (2794 >>> 8);
        input[9] = (byte) 2794;
        input[10] = (byte) (1766 >>> 8);
        input[11] = (byte) 1766;
        assertThat(toeplitz.hash(input, 0, 12)).isEqualTo(0x51ccc178);
        assertThat(toeplitz.hash(input, 0, 8)).isEqualTo(0x323e8fc2);
    }

    @Test
    void aDifferentKeyGivesADifferentHash() throws UnknownHostException {
        byte[] key = VERIFICATION_KEY.clone();
        key[0] ^= 1;
        assertThat(new Toeplitz(key).ipv4(ipv4("66.9.149.187"), ipv4("161.142.100.80"))).isNotEqualTo(0x323e8fc2);
    }

    @Test
    void hashingAllocatesNothing() throws UnknownHostException {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        byte[] src = InetAddress.getByName("3ffe:2501:200:1fff::7").getAddress();
        byte[] dst = InetAddress.getByName("3ffe:2501:200:3::1").getAddress();
        int sink = 0;
        for (int i = 0; i < 50_000; i++) {
            sink ^= toeplitz.ipv4(i, ~i, i & 0xFFFF, 80) ^ toeplitz.ipv6(src, 0, dst, 0, i & 0xFFFF, 443);
        }
        int rounds = 200_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) {
            sink ^= toeplitz.ipv4(i, ~i, i & 0xFFFF, 80) ^ toeplitz.ipv6(src, 0, dst, 0, i & 0xFFFF, 443);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        blackhole = sink;                                      // keeps the loops from being optimized away
        // one object per hash would be >= 16 bytes
        assertThat((double) allocated / (2.0 * rounds)).as("bytes allocated per hash").isLessThan(1.0);
    }

    @Test
    void aKeyOverFortyBytesIsRefused() {
        assertThatThrownBy(() -> new Toeplitz(new byte[41])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes=41");
    }

    private static int ipv4(String dotted) throws UnknownHostException {
        byte[] a = InetAddress.getByName(dotted).getAddress();
        return ((a[0] & 0xFF) << 24) | ((a[1] & 0xFF) << 16) | ((a[2] & 0xFF) << 8) | (a[3] & 0xFF);
    }
}
