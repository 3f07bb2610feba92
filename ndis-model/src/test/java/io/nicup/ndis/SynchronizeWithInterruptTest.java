package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.ndis.trace.Rule;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * NdisMSynchronizeWithInterruptEx: the synchronize function and MiniportInterrupt never run at once (the
 * interrupt's spin lock), and a call from inside the ISR is a driver bug reported as one, not a hang.
 */
class SynchronizeWithInterruptTest {

    private static final long DEADLINE_SECONDS = 10;

    private volatile boolean inSynchronizeFunction;
    private volatile boolean isrRanInside;

    @Test
    void theIsrNeverRunsWhileASynchronizeFunctionRuns() {
        int rounds = 5_000;
        AtomicInteger isrs = new AtomicInteger();
        try (Rig rig = new Rig()) {
            rig.options = rig.options.withInterruptDelivery(HostOptions.InterruptDelivery.THREAD);
            rig.sw.isrEnter = m -> {
                if (inSynchronizeFunction) {
                    isrRanInside = true;
                }
                isrs.incrementAndGet();
            };
            rig.running();
            NdisInterruptHandle interrupt = rig.ta().interrupt;
            int answered = 0;
            for (int i = 0; i < rounds; i++) {
                rig.device.interrupts.fire(TestAdapter.VECTOR_TX);  // the interrupt thread runs the ISR meanwhile
                boolean answer = rig.ndis().NdisMSynchronizeWithInterruptEx(interrupt, TestAdapter.VECTOR_TX, () -> {
                    inSynchronizeFunction = true;
                    for (int spin = 0; spin < 50; spin++) {
                        Thread.onSpinWait();
                    }
                    inSynchronizeFunction = false;
                    return true;
                });
                answered += answer ? 1 : 0;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
            while (isrs.get() == 0) {
                assertThat(System.nanoTime()).as("an ISR within " + DEADLINE_SECONDS + " s").isLessThan(deadline);
                Thread.onSpinWait();
            }
            rig.halt();
            assertThat(answered).as("each call returns what its function returned").isEqualTo(rounds);
            assertThat(isrRanInside).as("an ISR ran inside a synchronize function (of " + isrs.get() + " ISRs)")
                    .isFalse();
            assertThat(rig.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aSynchronizeCallFromInsideTheIsrIsReportedAndTheNextInterruptStillRuns() {
        AtomicInteger isrs = new AtomicInteger();
        try (Rig rig = new Rig().record()) {
            rig.running();
            NdisInterruptHandle interrupt = rig.ta().interrupt;
            rig.sw.isrEnter = m -> {
                if (isrs.incrementAndGet() == 1) {
                    rig.ndis().NdisMSynchronizeWithInterruptEx(interrupt, m, () -> true);
                }
            };
            rig.device.interrupts.fire(TestAdapter.VECTOR_TX);
            rig.host().pollInterrupts(rig.adapter);
            assertThat(rig.verifier().violations()).singleElement().satisfies(v -> {
                assertThat(v.rule()).isEqualTo(Rule.HANDLER_THREW);
                assertThat(v.detail()).contains("handler=MiniportInterrupt").contains("already held by this thread");
            });
            rig.device.interrupts.fire(TestAdapter.VECTOR_TX);
            rig.host().pollInterrupts(rig.adapter);
            assertThat(isrs.get()).as("the lock was given back: the next ISR ran").isEqualTo(2);
        }
    }
}
