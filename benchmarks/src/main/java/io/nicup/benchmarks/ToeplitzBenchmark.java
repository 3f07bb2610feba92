package io.nicup.benchmarks;

import io.nicup.ndis.rss.Toeplitz;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The software RSS hash the checks compare a NIC against ({@link Toeplitz}, docs/ndis-contract.md §10.2):
 * nanoseconds per hash over {@value BenchmarkHeader#PACKETS} flows, IPv4 with ports (12 input bytes) and
 * IPv6 with ports (36). {@code table_*} is the library (one table load per input byte); {@code bitwise_*}
 * is the definition run bit by bit, the baseline the table is measured against. Neither allocates.
 */
@State(Scope.Thread)
public class ToeplitzBenchmark extends BenchmarkHeader {

    private static final byte[] KEY = {
        0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3,
        (byte) 0x8f, (byte) 0xb0, (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
        0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c, 0x6a, 0x42, (byte) 0xb7, 0x3b,
        (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa};

    private Toeplitz toeplitz;
    private final int[] ipv4Source = new int[PACKETS];
    private final int[] ipv4Destination = new int[PACKETS];
    private final int[] ports = new int[PACKETS];
    /** Flow i's 36-byte IPv6 input (source, destination, ports) at 36 * i. */
    private final byte[] ipv6Inputs = new byte[36 * PACKETS];

    @Setup
    public void setUp() {
        toeplitz = new Toeplitz(KEY);
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < PACKETS; i++) {
            ipv4Source[i] = random.nextInt();
            ipv4Destination[i] = random.nextInt();
            ports[i] = random.nextInt();
        }
        for (int i = 0; i < ipv6Inputs.length; i++) {
            ipv6Inputs[i] = (byte) random.nextInt();
        }
    }

    @Benchmark
    public void table_ipv4Tcp(Blackhole bh) {
        for (int i = 0; i < PACKETS; i++) {
            bh.consume(toeplitz.ipv4(ipv4Source[i], ipv4Destination[i], ports[i] >>> 16, ports[i] & 0xFFFF));
        }
    }

    @Benchmark
    public void table_ipv6Tcp(Blackhole bh) {
        for (int i = 0; i < PACKETS; i++) {
            bh.consume(toeplitz.hash(ipv6Inputs, 36 * i, 36));
        }
    }

    @Benchmark
    public void bitwise_ipv6Tcp(Blackhole bh) {
        for (int i = 0; i < PACKETS; i++) {
            bh.consume(bitwise(ipv6Inputs, 36 * i, 36));
        }
    }

    /** The definition (WDD rss-hashing-functions): per input bit, XOR the key's leftmost 32 bits, shift. */
    private static int bitwise(byte[] input, int offset, int length) {
        int result = 0;
        long window = 0;                                   // key bits [k, k+64) with k = 8 * byte index
        for (int b = 0; b < 8; b++) {
            window = (window << 8) | (KEY[b] & 0xFF);
        }
        for (int i = 0; i < length; i++) {
            int in = input[offset + i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                if ((in & (0x80 >>> bit)) != 0) {
                    result ^= (int) (window >>> (32 - bit));
                }
            }
            int next = i + 8 < KEY.length ? KEY[i + 8] & 0xFF : 0;
            window = (window << 8) | next;
        }
        return result;
    }
}
