package io.nicup.ndis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.trace.NdisVerifierException;
import io.nicup.ndis.trace.Rule;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Interrupt delivery on the adapter's own thread, fed by the device's interrupt events. */
class InterruptThreadTest {

    private static Rig threaded() {
        Rig rig = new Rig();
        rig.options = rig.options.withInterruptDelivery(HostOptions.InterruptDelivery.THREAD);
        rig.edge.copyReceivedData = true;
        return rig;
    }

    /** Waits (really, on the interrupt thread's progress) without sleeping: a bounded spin. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static boolean dpcThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("ndis-dpc-0000:01:00.0") && t.isAlive());
    }

    @Test
    void theInterruptThreadRunsTheDpcAndStopsAtDeregistration() {
        try (Rig rig = threaded()) {
            rig.running();
            assertThat(dpcThreadAlive()).isTrue();
            rig.ta().deliverFrame("hello".getBytes());
            rig.device.interrupts.fire(TestAdapter.VECTOR_RX);
            await(() -> rig.ta().returnCalls == 1);
            assertThat(rig.adapter.counters().receivedNbls()).isEqualTo(1);
            rig.halt();
            assertThat(dpcThreadAlive()).as("joined by NdisMDeregisterInterruptEx").isFalse();
            assertThat(rig.verifier().violations()).isEmpty();
        }
    }

    @Test
    void aViolationOnTheInterruptThreadIsThrownFromTheNextHostCall() {
        try (Rig rig = threaded()) {
            rig.sw.throwIn = NdisCall.MiniportInterruptDpc;
            rig.running();
            rig.device.interrupts.fire(TestAdapter.VECTOR_LINK);
            await(() -> !rig.verifier().violations().isEmpty());
            assertThatThrownBy(() -> rig.host().pause(rig.adapter)).isInstanceOf(NdisVerifierException.class)
                    .satisfies(e -> assertThat(((NdisVerifierException) e).rule()).isEqualTo(Rule.HANDLER_THREW))
                    .hasMessageContaining("MiniportInterruptDpc");
        }
    }
}
