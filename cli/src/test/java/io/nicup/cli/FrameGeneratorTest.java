package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The traffic generator writes, for every option combination of {@code send}, the bytes the per-frame
 * builder ({@link ReferenceFrames}) defines: built from the template, and patched over a frame of the
 * same shape with the checksums updated incrementally.
 */
class FrameGeneratorTest {

    private static final MacAddress DST = MacAddress.parse("02:00:00:00:00:02");
    private static final MacAddress SRC = MacAddress.parse("52:54:00:12:34:56");

    /** Seqs a run meets: the first ones, the 16-bit wraps of the IPv4 ID and TCP sequence, --count's maximum. */
    private static final int[] EDGES = {0, 1, 2, 3, 255, 256, 257, 511, 65_535, 65_536, 65_791, 131_071,
        9_999_744, 9_999_999};

    static Stream<Arguments> combinations() {
        List<Arguments> all = new ArrayList<>();
        for (GeneratedFrames.Proto proto : GeneratedFrames.Proto.values()) {
            for (GeneratedFrames.Vlan vlan : new GeneratedFrames.Vlan[] {null, new GeneratedFrames.Vlan(100, 5)}) {
                int min = GeneratedFrames.minSize(proto, vlan);
                // the smallest frames cut the sequence field at 0..3 bytes; a list, a sweep, the largest frame
                List<String> sizes = List.of("" + min, (min + 1) + "," + (min + 2) + "," + (min + 3), min + "-1514:50",
                        min + "," + (min + 1), "1514");
                for (String size : sizes) {
                    for (int flows : proto == GeneratedFrames.Proto.RAW ? new int[] {1} : new int[] {1, 3, 8}) {
                        for (IpHeaders.Checksums checksums : IpHeaders.Checksums.values()) {
                            if (proto == GeneratedFrames.Proto.RAW && checksums != IpHeaders.Checksums.SOFTWARE
                                    || checksums == IpHeaders.Checksums.LARGE_SEND && !proto.tcp()) {
                                continue;
                            }
                            all.add(Arguments.of(proto, vlan, size, flows, checksums));
                        }
                    }
                }
            }
        }
        all.add(Arguments.of(GeneratedFrames.Proto.TCP4, null, "65535", 1, IpHeaders.Checksums.LARGE_SEND));
        all.add(Arguments.of(GeneratedFrames.Proto.TCP6, new GeneratedFrames.Vlan(7, 0), "9000,65535", 2,
                IpHeaders.Checksums.LARGE_SEND));
        return all.stream();
    }

    private static GeneratedFrames frames(GeneratedFrames.Proto proto, GeneratedFrames.Vlan vlan, String size,
            int flows, IpHeaders.Checksums checksums) {
        return new GeneratedFrames(DST, Traffic.MAX_COUNT, FrameSizes.parse(size), proto, flows, vlan, checksums,
                checksums == IpHeaders.Checksums.LARGE_SEND ? 1448 : 0);
    }

    @ParameterizedTest(name = "{0} vlan={1} size={2} flows={3} {4}")
    @MethodSource("combinations")
    void everyFrameIsTheOldBuildersFrameBuiltOrPatched(GeneratedFrames.Proto proto, GeneratedFrames.Vlan vlan,
            String size, int flows, IpHeaders.Checksums checksums) {
        GeneratedFrames g = frames(proto, vlan, size, flows, checksums);
        FrameGenerator gen = new FrameGenerator(g, SRC, 0, 0);
        SplittableRandom random = new SplittableRandom(size.hashCode() * 31L + flows);
        List<Integer> seqs = new ArrayList<>();
        for (int seq : EDGES) {
            seqs.add(seq);
        }
        for (int i = 0; i < 200; i++) {
            seqs.add(random.nextInt(Traffic.MAX_COUNT));
        }
        int period = 256 * g.sizes().sizes().length;
        for (int seq : seqs) {
            byte[] expected = ReferenceFrames.frame(g, SRC, seq);
            assertThat(gen.frame(seq)).as("frame %d built", seq).isEqualTo(expected);
            int held = seq - period * (1 + random.nextInt(4));
            if (held >= 0) {
                byte[] patched = gen.frame(held);
                gen.patch(patched, held, seq);
                assertThat(patched).as("frame %d patched over frame %d", seq, held).isEqualTo(expected);
            }
        }
    }

    @Test
    void patchingFrameAfterFrameOverAWholeIdSpaceMatchesTheBuilderIncludingTheUdpZeroChecksum() {
        // 70 000 UDP frames, each patched over the one 256 before it: every IPv4 ID, the wrap, and the
        // frames whose UDP checksum computes to 0 and goes out as 0xFFFF
        GeneratedFrames g = frames(GeneratedFrames.Proto.UDP4, null, "60", 5, IpHeaders.Checksums.SOFTWARE);
        FrameGenerator gen = new FrameGenerator(g, SRC, 0, 0);
        byte[][] ring = new byte[256][];
        int zeroSums = 0;
        for (int seq = 0; seq < 70_000; seq++) {
            byte[] expected = ReferenceFrames.frame(g, SRC, seq);
            if (ring[seq & 0xFF] == null) {
                ring[seq & 0xFF] = gen.frame(seq);
            } else {
                gen.patch(ring[seq & 0xFF], seq - 256, seq);
            }
            assertThat(ring[seq & 0xFF]).as("frame %d", seq).isEqualTo(expected);
            if ((expected[40] & 0xFF) == 0xFF && (expected[41] & 0xFF) == 0xFF) {
                zeroSums++;
            }
        }
        assertThat(zeroSums).as("frames whose UDP checksum is sent as 0xFFFF").isPositive();
    }

    @Test
    void framesOfAnotherSizeOrPhaseAreNotPatchedOverEachOther() {
        FrameGenerator gen = new FrameGenerator(frames(GeneratedFrames.Proto.TCP4, null, "64,128,256", 1,
                IpHeaders.Checksums.SOFTWARE), SRC, 0, 0);

        assertThat(gen.sameShape(5, 5 + 768)).isTrue();
        assertThat(gen.sameShape(5, 5 + 256)).as("same phase, other size").isFalse();
        assertThat(gen.sameShape(5, 5 + 3)).as("same size, other phase").isFalse();
    }

    @Test
    void patchingOverAFrameOfAnotherPhaseIsRefusedBecauseItWouldLeaveTheOldRampOnTheWire() {
        GeneratedFrames g = frames(GeneratedFrames.Proto.UDP4, null, "100", 1, IpHeaders.Checksums.SOFTWARE);
        FrameGenerator gen = new FrameGenerator(g, SRC, 0, 0);
        byte[] held = gen.frame(7);

        // the fault the shape check keeps out: the per-frame fields patched over another phase's payload
        byte[] unchecked = held.clone();
        new FrameTemplates(g, SRC).patch(java.lang.foreign.MemorySegment.ofArray(unchecked), 0, unchecked.length, 7, 8);
        assertThat(unchecked).isNotEqualTo(ReferenceFrames.frame(g, SRC, 8));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> gen.patch(held.clone(), 7, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("held=7 seq=8");
    }

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--size {0} --proto {1}")
    @org.junit.jupiter.params.provider.CsvSource({"60,udp4", "80|81|82,tcp6", "60,raw", "70|71,tcp4"})
    void theWireCarriesTheBuildersFramesInOrderWhenSendRecyclesItsBuffers(String size, String proto) {
        Path capture = dir.resolve("wire.pcap");
        CliRun r = CliRun.run(env, "send", "mock:82574L", "--dst", DST.toString(), "--count", "2000", "--size",
                size.replace('|', ','), "--proto", proto, "--flows", proto.equals("raw") ? "1" : "3", "--vlan", "100:5",
                "--capture", capture.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("sent 2000 frames", "0 errors, 0 drops", "mock wire: 2000 frames captured");
        GeneratedFrames g = new GeneratedFrames(DST, 2000, FrameSizes.parse(size.replace('|', ',')),
                GeneratedFrames.Proto.parse(proto), proto.equals("raw") ? 1 : 3, new GeneratedFrames.Vlan(100, 5),
                IpHeaders.Checksums.SOFTWARE, 0);
        List<byte[]> wire = TrafficCommandsTest.readPcap(capture);
        assertThat(wire).hasSize(2000);
        MacAddress src = MacAddress.parse("52:54:00:12:34:56");
        for (int seq = 0; seq < wire.size(); seq++) {
            assertThat(wire.get(seq)).as("frame %d", seq).isEqualTo(ReferenceFrames.frame(g, src, seq));
        }
    }

    @Test
    void afterTheFirstRoundEveryFrameIsPatchedIntoTheBufferOfTheFrameAPoolBefore() {
        GeneratedFrames g = frames(GeneratedFrames.Proto.UDP4, null, "60,61", 4, IpHeaders.Checksums.SOFTWARE);
        try (Session s = SessionOpener.open(env, "mock:82574L", null)) {
            s.running(Session.DEFAULT_FILTER);
            FrameGenerator gen = new FrameGenerator(g, s.currentMac(), 0, 0);
            long before = s.edge.completedOk();
            int count = 5000;
            Transmit.Sent sent = Transmit.send(s, count, (from, to) -> gen.submit(s.host, s.adapter, s.sendPool(), from,
                    to - from), 0, () -> { });
            gen.release();

            assertThat(sent.submitted()).isEqualTo(count);
            assertThat(s.edge.completedOk() - before).as("every frame completed").isEqualTo(count);
            int capacity = s.sendPool().capacity();
            assertThat(gen.rebuilt()).as("each buffer built once").isEqualTo(capacity);
            assertThat(gen.patched()).isEqualTo(count - capacity);
            assertThat(s.sendPool().available()).as("every buffer back in the pool").isEqualTo(capacity);
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(GeneratedFrames.Proto.class)
    void patchingAndRebuildingAFrameAllocateNothing(GeneratedFrames.Proto proto) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        FrameTemplates templates = new FrameTemplates(frames(proto, null, "100",
                proto == GeneratedFrames.Proto.RAW ? 1 : 3, IpHeaders.Checksums.SOFTWARE), SRC);
        java.lang.foreign.MemorySegment buf = java.lang.foreign.MemorySegment.ofArray(new byte[100]);
        templates.build(buf, 0, 100, 0);
        Runnable frames = () -> {
            for (int seq = 256; seq < 50_000; seq += 256) {
                templates.patch(buf, 0, 100, seq - 256, seq);
            }
            templates.build(buf, 0, 100, 0);
        };
        for (int i = 0; i < 200; i++) {
            frames.run();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200; i++) {
            frames.run();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // 200 rounds of 195 patches and a rebuild; one object per frame would be >= 16 bytes each
        assertThat((double) allocated / (200 * 196)).as("bytes allocated per frame").isLessThan(1.0);
    }
}
