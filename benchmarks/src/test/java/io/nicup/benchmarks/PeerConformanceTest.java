package io.nicup.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.nicup.ndis.miniport.i82574.ExtRxDescriptor;
import io.nicup.ndis.miniport.i82574.LegacyRxDescriptor;
import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The peers of the JMH suite run the product's ring algorithm with another memory-access API and nothing
 * else different: each Java peer ({@link UnsafePath}, {@link ByteBufferPath}, {@link JnaPath}) and the C
 * baseline go through the same sequence as {@link FfmPath} (the product's {@code TxRing} and its extended
 * receive ring, {@code ExtRxRing}: the rings the 82574L driver runs) on memory of their own, and after every
 * step the TX and RX descriptor rings (byte for byte, buffer addresses taken relative to the packet-buffer
 * region), TDT and RDT, the descriptors the device wrote back without being given them (unsubmitted
 * write-backs) and what the batch loops returned must be the product's. A peer that clears less of the
 * extended write-back than the product's one 64-bit store leaves the length in the RX ring; one that reads
 * the status elsewhere than {@code status_error} drops the frames and runs short batches.
 *
 * <p>The sequence: transmit, receive and forward batches enough to wrap a 64-descriptor ring twice, each
 * followed by two batches after a DD was written into the slot at the tail (the one the device was never
 * given), and last a DD at the TX tail seen by a clean alone. The benchmark device never writes there, so
 * the test does, as a device that runs past the tail would.
 */
class PeerConformanceTest {

    private static final int RING = 64;
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest(name = "{0} batch {1}")
    @CsvSource({"unsafe, 1", "unsafe, 7", "unsafe, 32", "bytebuffer, 1", "bytebuffer, 7", "bytebuffer, 32",
            "jna, 1", "jna, 7", "jna, 32"})
    void aJavaPeerLeavesTheRingsRegistersAndCountsOfTheProductAfterEveryStep(String peer, int batch) {
        Function<Fixture, Object> make = switch (peer) {
            case "unsafe" -> f -> new UnsafePath(f, batch);
            case "bytebuffer" -> f -> new ByteBufferPath(f, batch);
            case "jna" -> f -> new JnaPath(f, batch);
            default -> throw new IllegalArgumentException(peer);
        };
        List<Step> product = run(f -> new FfmPath(f, batch), batch);
        List<Step> other = run(make, batch);
        assertThat(product).extracting(Step::txUnsubmitted).as("the product counts each poked DD")
                .containsExactly(0L, 1L, 1L, 1L, 1L, 2L, 3L);
        assertThat(product).extracting(Step::rxUnsubmitted).containsExactly(0L, 0L, 0L, 1L, 1L, 2L, 2L);
        for (int i = 0; i < product.size(); i++) {
            Step want = product.get(i);
            Step got = other.get(i);
            String at = peer + " batch " + batch + " after " + want.name;
            assertThat(differences(got.tx, want.tx)).as(at + ": TX ring").isEmpty();
            assertThat(differences(got.rx, want.rx)).as(at + ": RX ring").isEmpty();
            assertThat(got.summary()).as(at).isEqualTo(want.summary());
        }
    }

    @ParameterizedTest(name = "batch {0}")
    @ValueSource(ints = {1, 7, 32})
    void theCBaselineLeavesTheRingsRegistersAndCountsOfTheProductAfterEveryStep(int batch, @TempDir Path dir)
            throws IOException, InterruptedException {
        Path binary = dir.resolve("ring_baseline");
        int built = exec(dir, "gcc", "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(),
                Path.of("src/main/c/ring_baseline.c").toAbsolutePath().toString(), "-lm");
        assumeThat(built).as("gcc is needed to build the C baseline; without it this check is skipped")
                .isNotEqualTo(-1);
        assertThat(built).as("gcc exit status, output in " + dir.resolve("out")).isZero();
        assertThat(exec(dir, binary.toString(), "--check", Integer.toString(RING), Integer.toString(batch)))
                .as("ring_baseline --check exit status").isZero();
        List<String> c = Files.readAllLines(dir.resolve("out"), StandardCharsets.US_ASCII);
        List<String> product = run(f -> new FfmPath(f, batch), batch).stream().map(Step::line).toList();
        assertThat(c).as("ring_baseline --check against the product, per step: name, TDT, RDT, TX and RX unsubmitted"
                + " write-backs, what the batches returned, FNV-1a of the TX and RX rings").isEqualTo(product);
    }

    /** The exit status, or -1 when the program is not there. Output goes to {@code dir/out}. */
    private static int exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile())
                    .start();
        } catch (IOException e) {
            if (command[0].equals("gcc")) {
                return -1;
            }
            throw e;
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command[0] + " did not finish within 60 s");
        }
        return p.exitValue();
    }

    /** The descriptors that differ, the first three in hex (bytes 0 to 15), and how many differ. */
    private static String differences(byte[] got, byte[] want) {
        StringBuilder out = new StringBuilder();
        int differ = 0;
        for (int d = 0; d < want.length; d += 16) {
            if (!Arrays.equals(got, d, d + 16, want, d, d + 16)) {
                if (++differ <= 3) {
                    out.append("descriptor ").append(d / 16).append(": expected ")
                            .append(HexFormat.of().formatHex(want, d, d + 16)).append(", was ")
                            .append(HexFormat.of().formatHex(got, d, d + 16)).append("; ");
                }
            }
        }
        return differ == 0 ? "" : out.append(differ).append(" of ").append(want.length / 16)
                .append(" descriptors differ").toString();
    }

    /** The state after one step of the sequence. */
    record Step(String name, byte[] tx, byte[] rx, int tdt, int rdt, long txUnsubmitted, long rxUnsubmitted,
            long result) {

        String summary() {
            return "tdt=" + tdt + " rdt=" + rdt + " txUnsubmitted=" + txUnsubmitted + " rxUnsubmitted="
                    + rxUnsubmitted + " result=" + result;
        }

        /** What {@code ring_baseline --check} prints for the step. */
        String line() {
            return name + "," + tdt + "," + rdt + "," + txUnsubmitted + "," + rxUnsubmitted + "," + result + ","
                    + Long.toHexString(fnv1a(tx)) + "," + Long.toHexString(fnv1a(rx));
        }
    }

    /** FNV-1a, 64 bits, as ring_baseline.c computes it. */
    static long fnv1a(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return h;
    }

    private static List<Step> run(Function<Fixture, Object> make, int batch) {
        try (Fixture f = new Fixture(RING)) {
            Object path = make.apply(f);
            Object tx = field(path, "tx");
            Object rx = field(path, "rx");
            int rounds = 2 * RING / batch + 3;
            List<Step> steps = new ArrayList<>();
            steps.add(step(f, tx, rx, "transmit", repeat(path, "transmitBatch", rounds)));
            pokeDone(f.txRegion.segment(), tdt(f), LegacyTxDescriptor.OFFSET_STATUS, LegacyTxDescriptor.STA_DD);
            steps.add(step(f, tx, rx, "transmit-tail-dd", repeat(path, "transmitBatch", 2)));
            steps.add(step(f, tx, rx, "receive", repeat(path, "receiveBatch", rounds)));
            pokeDone(f.rxRegion.segment(), rdt(f), ExtRxDescriptor.OFFSET_STATUS_ERROR,
                    LegacyRxDescriptor.STA_DD);
            steps.add(step(f, tx, rx, "receive-tail-dd", repeat(path, "receiveBatch", 2)));
            steps.add(step(f, tx, rx, "forward", repeat(path, "forwardBatch", rounds)));
            pokeDone(f.txRegion.segment(), tdt(f), LegacyTxDescriptor.OFFSET_STATUS, LegacyTxDescriptor.STA_DD);
            pokeDone(f.rxRegion.segment(), rdt(f), ExtRxDescriptor.OFFSET_STATUS_ERROR,
                    LegacyRxDescriptor.STA_DD);
            steps.add(step(f, tx, rx, "forward-tail-dd", repeat(path, "forwardBatch", 2)));
            pokeDone(f.txRegion.segment(), tdt(f), LegacyTxDescriptor.OFFSET_STATUS, LegacyTxDescriptor.STA_DD);
            long cleaned = (int) invoke(tx, "clean", new Class<?>[] {int[].class, int.class, int.class},
                    new int[RING], 0, RING);
            steps.add(step(f, tx, rx, "clean-tail-dd", cleaned));
            assertThat((long) field(path, "shortBatches")).as("short batches").isZero();
            return steps;
        }
    }

    private static long repeat(Object path, String batchMethod, int times) {
        long sum = 0;
        for (int i = 0; i < times; i++) {
            sum += (int) invoke(path, batchMethod, new Class<?>[0]);
        }
        return sum;
    }

    private static int tdt(Fixture f) {
        return f.registers.get(U32, Regs82574.TDT(0));
    }

    private static int rdt(Fixture f) {
        return f.registers.get(U32, Regs82574.RDT(0));
    }

    /** A device that runs past the tail: DD written into the slot it was never given. */
    private static void pokeDone(MemorySegment ring, int slot, long statusOffset, int dd) {
        long at = (long) slot * 16 + statusOffset;
        ring.set(ValueLayout.JAVA_BYTE, at, (byte) (ring.get(ValueLayout.JAVA_BYTE, at) | dd));
    }

    private static Step step(Fixture f, Object tx, Object rx, String name, long result) {
        long base = f.bufferRegion.segment().address();
        return new Step(name, normalized(f.txRegion.segment(), base), normalized(f.rxRegion.segment(), base), tdt(f),
                rdt(f), unsubmitted(tx), unsubmitted(rx), result);
    }

    /** The ring's bytes with each buffer address relative to the buffer region ({@code -1}: no address). */
    private static byte[] normalized(MemorySegment ring, long base) {
        MemorySegment copy = MemorySegment.ofArray(new byte[RING * 16]);
        copy.copyFrom(ring.asSlice(0, RING * 16L));
        for (long d = 0; d < RING * 16L; d += 16) {
            long address = copy.get(U64, d);
            copy.set(U64, d, address == 0 ? -1L : address - base);
        }
        return copy.toArray(ValueLayout.JAVA_BYTE);
    }

    /** The ring's count of write-backs into descriptors never submitted; -1 when it keeps none. */
    private static long unsubmitted(Object ring) {
        try {
            return (long) invoke(ring, "unsubmittedWriteBacks", new Class<?>[0]);
        } catch (IllegalStateException e) {
            return -1;
        }
    }

    private static Object field(Object o, String name) {
        try {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no field " + name + " in " + o.getClass().getName(), e);
        }
    }

    private static Object invoke(Object o, String name, Class<?>[] types, Object... args) {
        Method m = null;
        for (Class<?> c = o.getClass(); c != null && m == null; c = c.getSuperclass()) {
            try {
                m = c.getDeclaredMethod(name, types);
            } catch (NoSuchMethodException e) {
                // look in the superclass
            }
        }
        if (m == null) {
            throw new IllegalStateException("no method " + name + " in " + o.getClass().getName());
        }
        try {
            m.setAccessible(true);
            return m.invoke(o, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(name + " failed in " + o.getClass().getName(), e);
        }
    }
}
