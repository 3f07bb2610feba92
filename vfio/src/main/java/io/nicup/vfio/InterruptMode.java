package io.nicup.vfio;

/** How the device signals interrupts, in the order a driver prefers them. */
public enum InterruptMode {
    /** MSI-X: a table of vectors, each with its own event. */
    MSIX,
    /** MSI: one (or a few) vectors. */
    MSI,
    /** Legacy INTx line, level-triggered: masked by the kernel on delivery, unmasked by {@link InterruptSet#acknowledge}. */
    INTX
}
