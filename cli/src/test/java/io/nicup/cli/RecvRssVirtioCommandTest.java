package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.IpFrames;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.rss.RssParameterSet;
import io.nicup.ndis.rss.Toeplitz;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recv --rss} on the simulated virtio-net (docs/hardware-reference.md C.10): with RSS and hash report
 * offered each frame's hash is the software Toeplitz of its fields; with the hash-report-wrong fault it is
 * not; without the features the NIC announces no RSS and the command exits 4.
 */
class RecvRssVirtioCommandTest {

    /** The virtio-net mock's default address. */
    private static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:57");
    private static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:02");

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    private CliRun recv(String device, List<byte[]> frames) {
        Path in = dir.resolve("in.pcap");
        TrafficCommandsTest.writePcap(in, frames);
        return CliRun.run(env, "recv", device, "--pcap", dir.resolve("out.pcap").toString(), "--inject",
                in.toString(), "--count", Integer.toString(frames.size()), "--rss");
    }

    private static int fourTuple(byte[] f) {
        boolean v6 = f[12] == (byte) 0x86;
        return new Toeplitz(RssParameterSet.verificationKey()).hash(f, v6 ? 22 : 26, v6 ? 36 : 12);
    }

    private static List<byte[]> frames() {
        return List.of(IpFrames.frame(MAC.bytes(), PEER.bytes(), false, IpFrames.TCP, 0, 100, 1, true),
                IpFrames.frame(MAC.bytes(), PEER.bytes(), true, IpFrames.UDP, 0, 100, 2, true));
    }

    @Test
    void eachFramesHashIsTheSoftwareToeplitzOfItsFields() {
        List<byte[]> f = frames();
        CliRun r = recv("mock:virtio-net?rss=on", f);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(
                String.format("frame 1: %d bytes, hash 0x%08x (TCP/IPv4)", f.get(0).length, fourTuple(f.get(0))),
                String.format("frame 2: %d bytes, hash 0x%08x (UDP/IPv6)", f.get(1).length, fourTuple(f.get(1))),
                "rss: 2 hashed, 0 not hashed");
    }

    @Test
    void aDeviceReportingWrongHashesShowsThem() {
        List<byte[]> f = frames();
        CliRun r = recv("mock:virtio-net?rss=on&fault=hash-report-wrong", f);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains(String.format("frame 1: %d bytes, hash 0x%08x (TCP/IPv4)", f.get(0).length,
                fourTuple(f.get(0)) ^ 1));
    }

    @Test
    void withoutRssOrHashReportItExits4() {
        CliRun r = recv("mock:virtio-net", frames());
        assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_SUPPORTED.code());
        assertThat(r.err()).contains("rss not announced: device=mock:virtio-net");
    }
}
