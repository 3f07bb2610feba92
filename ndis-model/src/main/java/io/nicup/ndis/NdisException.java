package io.nicup.ndis;

/**
 * Misuse of the NDIS model by its caller (host or miniport) that is not a contract rule: a call with a
 * foreign handle, an operation on an adapter in a state where the host cannot perform it. The message
 * is one line of {@code key=value} detail; only the CLI prints it.
 */
public class NdisException extends RuntimeException {

    public NdisException(String message) {
        super(message);
    }

    public NdisException(String message, Throwable cause) {
        super(message, cause);
    }
}
