package io.nicup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.MacAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loopback verdict matches frames by their sequence number, so each report names the real culprit. */
class LoopbackCompareTest {

    private static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
    private final List<byte[]> sent = Traffic.frames(MAC, MAC, 10, 64);

    @Test
    void allBackIdenticalIsNoMismatch() {
        assertThat(LoopbackCommand.compare(sent, sent)).isNull();
    }

    @Test
    void aLostFrameIsMissingNotADifferenceInEveryLaterOne() {
        List<byte[]> got = new ArrayList<>(sent);
        got.remove(4);
        assertThat(LoopbackCommand.compare(sent, got)).isEqualTo("1 of 10 frames did not come back (first missing: frame 4)");
    }

    @Test
    void aCorruptedFrameIsNamedWithTheByte() {
        List<byte[]> got = new ArrayList<>(sent);
        byte[] bad = got.get(6).clone();
        bad[40] ^= 1;
        got.set(6, bad);
        assertThat(LoopbackCommand.compare(sent, got)).isEqualTo("frame 6 differs at byte 40 (sent 64 bytes, received 64)");
    }

    @Test
    void duplicatesReorderingAndStrangersAreNamed() {
        List<byte[]> dup = new ArrayList<>(sent);
        dup.add(sent.get(2));
        assertThat(LoopbackCommand.compare(sent, dup)).isEqualTo("frame 2 came back twice");

        List<byte[]> swapped = new ArrayList<>(sent);
        swapped.set(3, sent.get(4));
        swapped.set(4, sent.get(3));
        assertThat(LoopbackCommand.compare(sent, swapped)).isEqualTo("frame 3 came back after frame 4 (out of order)");

        List<byte[]> stranger = new ArrayList<>(sent);
        stranger.set(0, Traffic.frame(MAC, MAC, 64, 999));
        assertThat(LoopbackCommand.compare(sent, stranger)).startsWith("received frame 0 is not one nicup sent");
    }
}
