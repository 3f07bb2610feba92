package io.nicup.ndis;

/**
 * What each part of the host works with: the options, the trace and verifier every step reports to,
 * the invoker that calls miniport handlers, and the lock that serializes host operations.
 */
abstract class HostPart {

    final NdisHost.Options options;
    final NdisTrace trace;
    final Verifier verifier;
    final MiniportInvoker invoker;
    /** The host's serialization lock: one host operation at a time. */
    final Object control;

    HostPart(HostServices services) {
        this.options = services.options();
        this.trace = services.trace();
        this.verifier = services.verifier();
        this.invoker = services.invoker();
        this.control = services.control();
    }
}
