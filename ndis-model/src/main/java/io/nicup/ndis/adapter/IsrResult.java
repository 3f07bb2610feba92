package io.nicup.ndis.adapter;

/** What an ISR says: the C out-parameters InterruptRecognized and QueueDefaultInterruptDpc as one value. */
public enum IsrResult {
    /** Not this device's interrupt (INTx only; message interrupts are always recognized). */
    NOT_RECOGNIZED,
    /** Recognized and handled entirely in the ISR. */
    RECOGNIZED,
    /** Recognized; run the DPC. */
    QUEUE_DPC
}
