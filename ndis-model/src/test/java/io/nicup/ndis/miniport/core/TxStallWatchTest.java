package io.nicup.ndis.miniport.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TxStallWatchTest {

    private final TxStallWatch watch = new TxStallWatch();

    @Test
    void hungWhenTheMarkStandsStillForOneCheck() {
        assertThat(watch.hung(5)).isFalse();                 // first look
        assertThat(watch.hung(5)).isTrue();                  // unchanged 2 s later
    }

    @Test
    void notHungWhileTheMarkMoves() {
        assertThat(watch.hung(5)).isFalse();
        assertThat(watch.hung(6)).isFalse();
        assertThat(watch.hung(7)).isFalse();
    }

    @Test
    void progressOrRestartForgetsTheStall() {
        watch.hung(5);
        assertThat(watch.hung(5)).isTrue();
        watch.progressed();
        watch.restart();
        assertThat(watch.hung(5)).isFalse();
    }
}
