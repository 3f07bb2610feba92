package io.nicup.ndis.miniport.core;

/** A diagnostic read the device did not answer as documented (an MDIC error, a register that never became ready). */
public final class DiagnosticsException extends RuntimeException {

    /** @param message what failed, with key=value detail */
    public DiagnosticsException(String message, Throwable cause) {
        super(message, cause);
    }
}
