package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `nicup stats` counts the PAUSE frames an Intel NIC received (XOFFRXC, XONRXC; docs/hardware-reference.md B.14). */
class FlowControlStatsTest {

    private final Environment env = new Environment(() -> {
        throw new AssertionError("a mock device needs no Linux host");
    }, PciIds.none());

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mock:82574L", "mock:82576"})
    void pauseFramesCountInXoffrxcAndXonrxcAndNeverReachTheHost(String spec) {
        Path frames = dir.resolve("pause.pcap");
        TrafficCommandsTest.writePcap(frames, List.of(pause(0xFFFF), pause(0x0100), pause(0)));
        CliRun r = CliRun.run(env, "stats", spec, "--inject", frames.toString());

        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("XOFFRXC +2").containsPattern("XONRXC +1").containsPattern("XOFFTXC +0")
                .containsPattern("XONTXC +0").containsPattern("GPRC +0").containsPattern("rx_indicated +0");
    }

    /** 01:80:C2:00:00:01, a sender, EtherType 0x8808, opcode 0x0001, pause_time (802.3 Annex 31B). */
    private static byte[] pause(int quanta) {
        byte[] f = new byte[60];
        byte[] head = {0x01, (byte) 0x80, (byte) 0xC2, 0x00, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, (byte) 0xC0,
            (byte) 0x88, 0x08, 0x00, 0x01, (byte) (quanta >>> 8), (byte) quanta};
        System.arraycopy(head, 0, f, 0, head.length);
        return f;
    }
}
