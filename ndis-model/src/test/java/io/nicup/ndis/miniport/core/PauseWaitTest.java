package io.nicup.ndis.miniport.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PauseWaitTest {

    private final Object stateLock = new Object();
    private final Object queueLock = new Object();
    private int inFlight;
    private final BooleanSupplier drained = () -> {
        synchronized (queueLock) {
            return inFlight == 0;
        }
    };

    @Test
    void aPauseThatFindsTheDataPathDrainedCompletesAtOnceAndNoCompleterCompletesItAgain() {
        PauseWait wait = new PauseWait(stateLock);
        assertThat(wait.begin(drained)).isTrue();
        assertThat(wait.pending()).isFalse();
        assertThat(wait.completeIfDrained(drained)).isFalse();
    }

    @Test
    void aPendingPauseCompletesOnceWhenTheLastSendCompletes() {
        PauseWait wait = new PauseWait(stateLock);
        inFlight = 2;
        assertThat(wait.begin(drained)).isFalse();
        inFlight = 1;
        assertThat(wait.completeIfDrained(drained)).as("one send still in flight").isFalse();
        inFlight = 0;
        assertThat(wait.completeIfDrained(drained)).isTrue();
        assertThat(wait.completeIfDrained(drained)).as("completed once only").isFalse();
    }

    /**
     * The race the flag must survive: the last send completes on one thread while the pause looks on
     * another. Every round, exactly one of them completes the pause: never both (NDIS would see the pause
     * complete twice) and never neither (the pause would wait for ever).
     */
    @Test
    void theLastCompletionRacingThePauseCompletesItExactlyOnce() throws InterruptedException {
        int rounds = 100_000;
        AtomicInteger go = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        PauseWait[] waits = new PauseWait[rounds];
        boolean[] byCompleter = new boolean[rounds];
        boolean[] byPause = new boolean[rounds];
        for (int i = 0; i < rounds; i++) {
            waits[i] = new PauseWait(stateLock);
        }
        Thread completer = new Thread(() -> {
            for (int i = 0; i < rounds; i++) {
                while (go.get() <= i) {
                    Thread.onSpinWait();
                }
                synchronized (queueLock) {
                    inFlight--;
                }
                byCompleter[i] = waits[i].completeIfDrained(drained);
                done.incrementAndGet();
            }
        });
        completer.start();
        for (int i = 0; i < rounds; i++) {
            synchronized (queueLock) {
                inFlight = 1;
            }
            go.incrementAndGet();
            byPause[i] = waits[i].begin(drained);
            while (done.get() <= i) {
                Thread.onSpinWait();
            }
        }
        completer.join();
        int neither = 0;
        int both = 0;
        for (int i = 0; i < rounds; i++) {
            neither += !byPause[i] && !byCompleter[i] ? 1 : 0;
            both += byPause[i] && byCompleter[i] ? 1 : 0;
        }
        assertThat(neither).as("pauses nobody completed").isZero();
        assertThat(both).as("pauses completed twice").isZero();
    }
}
