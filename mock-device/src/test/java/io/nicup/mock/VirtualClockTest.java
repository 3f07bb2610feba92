package io.nicup.mock;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualClockTest {

    @Test
    void shouldRunEventsInTimeThenSchedulingOrder() {
        VirtualClock clock = new VirtualClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(300, "c", () -> ran.add("c@" + clock.nanoTime()));
        clock.schedule(100, "a", () -> ran.add("a@" + clock.nanoTime()));
        clock.schedule(100, "b", () -> ran.add("b@" + clock.nanoTime()));
        clock.advance(250);
        assertThat(ran).containsExactly("a@100", "b@100");
        assertThat(clock.nanoTime()).isEqualTo(250);
        clock.sleepNanos(50);
        assertThat(ran).containsExactly("a@100", "b@100", "c@300");
    }

    @Test
    void shouldRunEventsScheduledByEventsWhenTheyFallDue() {
        VirtualClock clock = new VirtualClock();
        List<Long> ran = new ArrayList<>();
        clock.schedule(10, "first", () -> clock.schedule(5, "second", () -> ran.add(clock.nanoTime())));
        clock.advance(20);
        assertThat(ran).containsExactly(15L);
    }

    @Test
    void shouldNotRunCancelledEvents() {
        VirtualClock clock = new VirtualClock();
        boolean[] ran = {false};
        VirtualClock.Event e = clock.schedule(10, "x", () -> ran[0] = true);
        assertThat(e.pending()).isTrue();
        assertThat(clock.pendingEventNames()).containsExactly("x");
        e.cancel();
        clock.advance(100);
        assertThat(ran[0]).isFalse();
        assertThat(clock.pendingEvents()).isZero();
        assertThat(clock.nextEventNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldStopAtTheEventThatSatisfiesTheCondition() {
        VirtualClock clock = new VirtualClock();
        boolean[] flag = {false};
        clock.schedule(40, "set", () -> flag[0] = true);
        clock.schedule(60, "later", () -> { });
        assertThat(clock.runUntil(1000, () -> flag[0])).isTrue();
        assertThat(clock.nanoTime()).isEqualTo(40);
        assertThat(clock.pendingEvents()).isEqualTo(1);
        assertThat(clock.runUntil(50, () -> false)).isFalse();
        assertThat(clock.nanoTime()).isEqualTo(50);
    }

    @Test
    void shouldAlwaysMoveForwardOnSleep() {
        VirtualClock clock = new VirtualClock();
        clock.sleepNanos(0);
        clock.sleepNanos(-5);
        assertThat(clock.nanoTime()).isEqualTo(2);
    }

    @Test
    void shouldSaturateInsteadOfOverflowing() {
        VirtualClock clock = new VirtualClock();
        clock.advance(10);
        assertThat(clock.runUntil(VirtualClock.saturatingAdd(clock.nanoTime(), Long.MAX_VALUE), () -> false))
                .isFalse();
        assertThat(clock.nanoTime()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldRefuseToAdvanceFromInsideAnEvent() {
        VirtualClock clock = new VirtualClock();
        clock.schedule(1, "nested", () -> clock.advance(1));
        assertThatThrownBy(() -> clock.advance(5)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> clock.advance(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
