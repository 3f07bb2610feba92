package io.nicup.mock.intel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The model's Toeplitz hash on Microsoft's RSS verification data (WDD "Verifying the RSS Hash
 * Calculation"; docs/ndis-contract.md §10.3, docs/hardware-reference.md B.16): the documented key, every
 * IPv4 and IPv6 row, with and without ports.
 */
public class RssToeplitzTest {

    /** The documented 40-byte key. */
    public static final byte[] KEY = {
        0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3,
        (byte) 0x8f, (byte) 0xb0, (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
        0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c, 0x6a, 0x42, (byte) 0xb7, 0x3b,
        (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa};

    /** Destination, destination port, source, source port, hash without ports, hash with ports. */
    public static final Object[][] VECTORS = {
        {"161.142.100.80", 1766, "66.9.149.187", 2794, 0x323e8fc2, 0x51ccc178},
        {"65.69.140.83", 4739, "199.92.111.2", 14230, 0xd718262a, 0xc626b0ea},
        {"12.22.207.184", 38024, "24.19.198.95", 12898, 0xd2d0a5de, 0x5c2b394a},
        {"209.142.163.6", 2217, "38.27.205.30", 48228, 0x82989176, 0xafc7327f},
        {"202.188.127.2", 1303, "153.39.163.191", 44251, 0x5d1809c5, 0x10e828a2},
        {"3ffe:2501:200:3::1", 1766, "3ffe:2501:200:1fff::7", 2794, 0x2cc18cd5, 0x40207d3d},
        {"ff02::1", 4739, "3ffe:501:8::260:97ff:fe40:efab", 14230, 0x0f0c461c, 0xdde51bbf},
        {"fe80::200:f8ff:fe21:67cf", 38024, "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251, 0x4b61e985, 0x02d1feef},
    };

    public static byte[] address(Object literal) {
        try {
            return InetAddress.getByName((String) literal).getAddress();   // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The hash input: source address, destination address, then the ports when {@code ports}. */
    static byte[] input(Object[] row, boolean ports) {
        byte[] dst = address(row[0]);
        byte[] src = address(row[2]);
        ByteBuffer b = ByteBuffer.allocate(2 * src.length + (ports ? 4 : 0));
        b.put(src).put(dst);
        if (ports) {
            b.putShort((short) (int) row[3]).putShort((short) (int) row[1]);
        }
        return b.array();
    }

    @Test
    void everyIpv4AndIpv6RowHashesToTheDocumentedValueWithAndWithoutPorts() {
        for (Object[] row : VECTORS) {
            byte[] addresses = input(row, false);
            byte[] withPorts = input(row, true);
            assertThat(RssToeplitz.hash(KEY, addresses, addresses.length)).as("%s without ports", row[0])
                    .isEqualTo((int) row[4]);
            assertThat(RssToeplitz.hash(KEY, withPorts, withPorts.length)).as("%s with ports", row[0])
                    .isEqualTo((int) row[5]);
        }
    }

    @Test
    void theKeyIsReadFromRssrkWithByteZeroInTheLowBitsOfRssrk0() {
        int[] regs = new int[0x5CA8 >> 2];
        for (int i = 0; i < KEY.length; i++) {
            regs[(0x5C80 >> 2) + i / 4] |= (KEY[i] & 0xFF) << 8 * (i % 4);
        }
        byte[] key = new byte[RssToeplitz.KEY_BYTES];
        RssToeplitz.readKey(regs, 0x5C80, key);
        assertThat(key).isEqualTo(KEY);
    }

    @Test
    void aSwappedAddressPairDoesNotGiveTheDocumentedHash() {
        Object[] row = VECTORS[0];
        byte[] swapped = ByteBuffer.allocate(8).put(address(row[0])).put(address(row[2])).array();
        assertThat(RssToeplitz.hash(KEY, swapped, 8)).isNotEqualTo((int) row[4]);
    }
}
