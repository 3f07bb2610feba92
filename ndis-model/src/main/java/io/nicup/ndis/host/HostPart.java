package io.nicup.ndis.host;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.trace.NdisTrace;
import io.nicup.ndis.trace.Verifier;

/**
 * What each part of the host works with: the options, the trace and verifier every step reports to,
 * the invoker that calls miniport handlers, and the lock that serializes host operations.
 */
public abstract class HostPart {

    protected final HostOptions options;
    protected final NdisTrace trace;
    protected final Verifier verifier;
    protected final MiniportInvoker invoker;
    /** The host's serialization lock: one host operation at a time. */
    protected final Object control;

    protected HostPart(HostServices services) {
        this.options = services.options();
        this.trace = services.trace();
        this.verifier = services.verifier();
        this.invoker = services.invoker();
        this.control = services.control();
    }
}
