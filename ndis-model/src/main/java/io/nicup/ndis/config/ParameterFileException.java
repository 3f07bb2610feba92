package io.nicup.ndis.config;

import io.nicup.ndis.NdisException;

/** A parameter file that cannot be read or parsed; the message names the file and line. */
public final class ParameterFileException extends NdisException {

    public ParameterFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
