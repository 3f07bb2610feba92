package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.adapter.NdisInterruptHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A DPC per message on a thread of its own (docs/ndis-contract.md §21): with interrupt threads, one
 * message's DPC runs while another's is blocked; a DPC queued while queued runs once, never beside itself;
 * halt runs what was queued and joins every DPC thread.
 */
class DpcThreadsTest {

    private static final long DEADLINE_SECONDS = 10;
    /** How long a blocked DPC waits for its release: past every deadline of the test, which releases it. */
    private static final long HOLD_SECONDS = 60;

    private static Rig threaded() {
        Rig rig = new Rig();
        rig.options = rig.options.withInterruptDelivery(HostOptions.InterruptDelivery.THREAD);
        return rig;
    }

    /** A bounded spin on another thread's progress (no sleep). */
    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " within " + DEADLINE_SECONDS + " s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static boolean await(CountDownLatch latch) {
        return await(latch, DEADLINE_SECONDS);
    }

    /** Holds a DPC until the test releases it. */
    private static void hold(CountDownLatch release) {
        await(release, HOLD_SECONDS);
    }

    private static boolean await(CountDownLatch latch, long seconds) {
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long dpcThreadsNamed(String adapterName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ndis-dpc-" + adapterName) && t.isAlive()).count();
    }

    @Test
    void theLinkDpcRunsWhileTheReceiveDpcIsBlocked() {
        CountDownLatch rxEntered = new CountDownLatch(1);
        CountDownLatch rxRelease = new CountDownLatch(1);
        CountDownLatch linkDone = new CountDownLatch(1);
        try (Rig rig = threaded()) {
            rig.sw.dpcEnter = m -> {
                if (m == TestAdapter.VECTOR_RX) {
                    rxEntered.countDown();
                    hold(rxRelease);
                }
            };
            rig.sw.dpcExit = m -> {
                if (m == TestAdapter.VECTOR_LINK) {
                    linkDone.countDown();
                }
            };
            rig.running();
            try {
                rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
                assertThat(await(rxEntered)).as("the receive DPC started").isTrue();
                rig.device.interrupts.fire(TestAdapter.VECTOR_LINK);
                assertThat(await(linkDone))
                        .as("the link DPC ran to its end while the receive DPC was blocked (one DPC thread would wait)")
                        .isTrue();
                assertThat(rxRelease.getCount()).as("the receive DPC was still blocked").isEqualTo(1);
            } finally {
                rxRelease.countDown();
            }
            rig.halt();
            assertThat(rig.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aDpcQueuedTwiceWhileRunningRunsOnceMoreAndNeverBesideItself() {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        try (Rig rig = threaded()) {
            rig.sw.dpcEnter = m -> {
                if (m == TestAdapter.VECTOR_RX) {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    entered.countDown();
                    hold(release);
                }
            };
            rig.sw.dpcExit = m -> {
                if (m == TestAdapter.VECTOR_RX) {
                    inside.decrementAndGet();
                    runs.incrementAndGet();
                }
            };
            rig.running();
            NdisInterruptHandle interrupt = rig.ta().interrupt;
            long isrBefore = interrupt.isrCalls();
            try {
                rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
                assertThat(await(entered)).isTrue();
                rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
                await("the second ISR", () -> interrupt.isrCalls() == isrBefore + 2);
                rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
                await("the third ISR", () -> interrupt.isrCalls() == isrBefore + 3);
            } finally {
                release.countDown();
            }
            await("the queued DPC", () -> runs.get() == 2);
            rig.halt();
            assertThat(runs.get()).as("three ISRs, the DPC queued twice while it ran: it ran once more").isEqualTo(2);
            assertThat(interrupt.dpcCalls()).as("dpc_calls counts the runs").isEqualTo(2);
            assertThat(mostInside.get()).as("never beside itself").isEqualTo(1);
            assertThat(rig.verifier().violations()).isEmpty();
        }
    }

    /**
     * The ISR and DPC runs are counted without an atomic, each DPC's by its own thread
     * (docs/ndis-contract.md §19.8): with two messages' DPCs running at once, the counts NdisMDeregisterInterruptEx
     * reports are still every run.
     */
    @Test
    void theIsrAndDpcCountsAreExactWhileTwoMessagesDpcsRunAtOnce() {
        int rounds = 2_000;
        AtomicInteger[] runsOf = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        try (Rig rig = threaded()) {
            rig.sw.dpcExit = m -> runsOf[m].incrementAndGet();
            rig.running();
            NdisInterruptHandle interrupt = rig.ta().interrupt;
            long isrBefore = interrupt.isrCalls();
            long dpcBefore = interrupt.dpcCalls();
            for (int i = 0; i < rounds; i++) {
                int rx = runsOf[TestAdapter.VECTOR_RX].get();
                int link = runsOf[TestAdapter.VECTOR_LINK].get();
                rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
                rig.device.interrupts.fire(TestAdapter.VECTOR_LINK);
                await("both DPCs of round " + i, () -> runsOf[TestAdapter.VECTOR_RX].get() > rx
                        && runsOf[TestAdapter.VECTOR_LINK].get() > link);
            }
            long isrs = interrupt.isrCalls() - isrBefore;
            long dpcs = interrupt.dpcCalls() - dpcBefore;
            rig.halt();
            assertThat(isrs).as("every fired vector ran its ISR once (two per round)").isEqualTo(2L * rounds);
            assertThat(dpcs).as("dpc_calls is every DPC run, on either thread (one per fired vector)")
                    .isEqualTo(2L * rounds);
            assertThat(rig.verifier().violations()).isEmpty();
        }
    }

    @Test
    void haltRunsTheQueuedDpcsAndJoinsEveryDpcThread() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger rxRuns = new AtomicInteger();
        AtomicReference<Throwable> haltFailure = new AtomicReference<>();
        try (Rig rig = threaded()) {
            rig.sw.dpcEnter = m -> {
                if (m == TestAdapter.VECTOR_RX && entered.getCount() == 1) {
                    entered.countDown();
                    hold(release);
                }
            };
            rig.sw.dpcExit = m -> {
                if (m == TestAdapter.VECTOR_RX) {
                    rxRuns.incrementAndGet();
                }
            };
            rig.running();
            String name = rig.adapter.name();
            NdisInterruptHandle interrupt = rig.ta().interrupt;
            assertThat(interrupt.dpcThreadsAlive()).as("one DPC thread per armed message")
                    .isEqualTo(interrupt.messageCount());
            assertThat(dpcThreadsNamed(name)).as("the interrupt thread and the DPC threads")
                    .isEqualTo(interrupt.messageCount() + 1L);
            long isrBefore = interrupt.isrCalls();
            rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
            assertThat(await(entered)).isTrue();
            rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
            await("the second ISR", () -> interrupt.isrCalls() == isrBefore + 2);
            CompletableFuture<Void> halt = CompletableFuture.runAsync(() -> {
                try {
                    rig.halt();
                } catch (Throwable t) {
                    haltFailure.set(t);
                }
            });
            release.countDown();
            halt.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            assertThat(haltFailure.get()).isNull();
            assertThat(rxRuns.get()).as("the DPC queued at halt ran before its thread ended").isEqualTo(2);
            assertThat(interrupt.dpcThreadsAlive()).isZero();
            assertThat(dpcThreadsNamed(name)).as("no ndis-dpc-" + name + "* thread survives the halt").isZero();
            assertThat(rig.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aHaltFromInsideADpcJoinsTheOtherThreadsAndItsOwnEndsAfterIt() throws Exception {
        CountDownLatch halted = new CountDownLatch(1);
        AtomicReference<Throwable> haltFailure = new AtomicReference<>();
        AtomicReference<String> haltThread = new AtomicReference<>();
        try (Rig rig = threaded()) {
            rig.sw.dpcExit = m -> {
                if (m == TestAdapter.VECTOR_LINK && halted.getCount() == 1) {
                    haltThread.set(Thread.currentThread().getName());
                    try {
                        rig.halt();
                    } catch (Throwable t) {
                        haltFailure.set(t);
                    }
                    halted.countDown();
                }
            };
            rig.running();
            String name = rig.adapter.name();
            NdisInterruptHandle interrupt = rig.ta().interrupt;
            rig.device.interrupts.fire(TestAdapter.VECTOR_LINK);
            assertThat(await(halted)).as("the halt inside the link DPC returned").isTrue();
            assertThat(haltFailure.get()).isNull();
            assertThat(haltThread.get()).isEqualTo("ndis-dpc-" + name + "-" + TestAdapter.VECTOR_LINK);
            await("the link DPC's own thread ends after it", () -> interrupt.dpcThreadsAlive() == 0);
            await("no ndis-dpc-" + name + "* thread", () -> dpcThreadsNamed(name) == 0);
            assertThat(rig.device.interruptsArmed()).as("the vectors are disarmed").isFalse();
        }
    }
}
