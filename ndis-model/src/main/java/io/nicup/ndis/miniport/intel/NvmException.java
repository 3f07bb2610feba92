package io.nicup.ndis.miniport.intel;

/** The NVM failed validation: unreadable, a bad checksum or a MAC address that is not unicast. */
public final class NvmException extends RuntimeException {

    public NvmException(String message) {
        super(message);
    }
}
