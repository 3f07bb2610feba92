package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.vfio.testing.Gen;
import io.nicup.vfio.testing.SeededTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapTest {

    @TempDir
    Path dir;

    @Test
    void framesWrittenAreReadBackByteForByte() {
        Path f = dir.resolve("a.pcap");
        byte[] a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x08, 0x00};
        byte[] b = new byte[1514];
        b[1513] = 0x7F;
        try (Pcap.Writer w = new Pcap.Writer(f)) {
            w.write(1_500_000, a, 0, a.length);
            w.write(2_000_001, b, 0, b.length);
        }
        List<Pcap.Frame> frames = Pcap.readAll(f, 10);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0).data()).isEqualTo(a);
        assertThat(frames.get(0).timestampMicros()).isEqualTo(1_500_000);
        assertThat(frames.get(1).data()).isEqualTo(b);
    }

    @Test
    void aFileRefusedForItsHeaderLeavesNoDescriptorOpen() throws IOException {
        Path f = dir.resolve("short.pcap");
        Files.write(f, new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1, 2, 0});
        long before = openDescriptors();
        for (int i = 0; i < 300; i++) {
            assertThatThrownBy(() -> Pcap.readAll(f, 10)).isInstanceOf(CliException.class)
                    .hasMessageContaining("truncated global header");
        }
        assertThat(openDescriptors() - before).isLessThan(10);
    }

    private static long openDescriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void bigEndianFilesAreReadToo() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(24 + 16 + 3).order(ByteOrder.BIG_ENDIAN);
        h.putInt(Pcap.MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        h.putInt(7).putInt(8).putInt(3).putInt(3).put(new byte[] {9, 8, 7});
        Path f = dir.resolve("be.pcap");
        Files.write(f, h.array());
        assertThat(Pcap.readAll(f, 10).get(0).data()).containsExactly(9, 8, 7);
    }

    @Test
    void wrongMagicIsAUsageErrorThatMentionsPcapng() throws IOException {
        Path f = dir.resolve("x.pcapng");
        Files.write(f, new byte[] {0x0A, 0x0D, 0x0D, 0x0A, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertThatThrownBy(() -> Pcap.readAll(f, 10)).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).contains("wrong magic");
            assertThat(e.remedy()).contains("editcap -F pcap");
        });
    }

    @Test
    void aRecordThatClaimsMoreThanTheSnaplenIsRejectedBeforeAllocating() throws IOException {
        ByteBuffer h = ByteBuffer.allocate(24 + 16).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(Pcap.MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        h.putInt(0).putInt(0).putInt(0x7FFF_FFFF).putInt(0x7FFF_FFFF);
        Path f = dir.resolve("huge.pcap");
        Files.write(f, h.array());
        assertThatThrownBy(() -> Pcap.readAll(f, 10)).isInstanceOf(CliException.class)
                .hasMessageContaining("caplen=2147483647");
    }

    @Test
    void truncatedDataIsNamedWithItsRecord() throws IOException {
        Path f = dir.resolve("t.pcap");
        try (Pcap.Writer w = new Pcap.Writer(f)) {
            w.write(0, new byte[60], 0, 60);
        }
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 1));
        assertThatThrownBy(() -> Pcap.readAll(f, 10)).isInstanceOf(CliException.class)
                .hasMessageContaining("record 0 data truncated");
    }

    @Test
    void aMissingFileIsAUsageError() {
        assertThatThrownBy(() -> Pcap.readAll(dir.resolve("nope.pcap"), 10))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE));
    }

    @SeededTest(cases = 300)
    void arbitraryBytesNeverCrashOrAllocateWithoutBound(Gen gen) throws IOException {
        byte[] junk = gen.bytes(0, 200);
        Path f = Files.createTempFile("nicup-fuzz", ".pcap");
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(Pcap.MAGIC_MICROS).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        byte[] file = new byte[24 + junk.length];
        System.arraycopy(h.array(), 0, file, 0, 24);
        System.arraycopy(junk, 0, file, 24, junk.length);
        Files.write(f, file);
        try {
            List<Pcap.Frame> frames = Pcap.readAll(f, 1000);
            assertThat(frames).allSatisfy(fr -> assertThat(fr.data().length).isLessThanOrEqualTo(Pcap.MAX_FRAME));
        } catch (CliException e) {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).doesNotContain("\n");
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
