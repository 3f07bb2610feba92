package io.nicup.ndis;

import io.nicup.ndis.trace.VerifierMode;
import io.nicup.vfio.DeviceClock;
import java.time.Duration;

/**
 * How an {@link NdisHost} runs: its clock, how strict its verifier is, how interrupts reach the ISRs,
 * whether timers run on a thread of their own, the trace's size and how long halt waits.
 *
 * @param clock the time base of the trace, the timers and every wait
 * @param waitTimeout how long halt waits (device-clock time) for a pending pause or OID to complete
 * @param timerThread run timers on a host thread (only with a real clock)
 * @param traceCapacity events kept in the trace
 */
public record HostOptions(DeviceClock clock, VerifierMode verifierMode, InterruptDelivery interruptDelivery,
        boolean timerThread, int traceCapacity, Duration waitTimeout) {

    /** How interrupts reach the ISR. */
    public enum InterruptDelivery {
        /**
         * A thread per interrupt registration waits on the device's interrupt events and runs the ISRs;
         * each message's DPC runs on a thread of that message (docs/ndis-contract.md §21).
         */
        THREAD,
        /** Nothing runs on its own: {@link NdisHost#pollInterrupts} runs the ISRs and DPCs of what fired. */
        POLLED
    }

    /** For the CLI: system clock, RECORD, interrupt thread, timer thread. */
    public static HostOptions defaults() {
        return new HostOptions(DeviceClock.SYSTEM, VerifierMode.RECORD, InterruptDelivery.THREAD, true, 100_000,
                Duration.ofSeconds(5));
    }

    /** For tests: the given (virtual) clock, STRICT, polled interrupts, no threads. */
    public static HostOptions deterministic(DeviceClock clock) {
        return new HostOptions(clock, VerifierMode.STRICT, InterruptDelivery.POLLED, false, 100_000,
                Duration.ofSeconds(5));
    }

    public HostOptions withClock(DeviceClock value) {
        return new HostOptions(value, verifierMode, interruptDelivery, timerThread, traceCapacity, waitTimeout);
    }

    public HostOptions withVerifierMode(VerifierMode value) {
        return new HostOptions(clock, value, interruptDelivery, timerThread, traceCapacity, waitTimeout);
    }

    public HostOptions withInterruptDelivery(InterruptDelivery value) {
        return new HostOptions(clock, verifierMode, value, timerThread, traceCapacity, waitTimeout);
    }

    public HostOptions withTimerThread(boolean value) {
        return new HostOptions(clock, verifierMode, interruptDelivery, value, traceCapacity, waitTimeout);
    }

    public HostOptions withTraceCapacity(int value) {
        return new HostOptions(clock, verifierMode, interruptDelivery, timerThread, value, waitTimeout);
    }

    public HostOptions withWaitTimeout(Duration value) {
        return new HostOptions(clock, verifierMode, interruptDelivery, timerThread, traceCapacity, value);
    }
}
