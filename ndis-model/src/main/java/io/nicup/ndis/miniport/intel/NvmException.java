package io.nicup.ndis.miniport.intel;

/** The NVM failed validation: unreadable, a bad checksum or a MAC address that is not unicast. */
public final class NvmException extends RuntimeException {

    private final transient io.nicup.ndis.miniport.core.NvmImage image;

    public NvmException(String message) {
        this(message, null);
    }

    /** @param image the image that failed validation, or null when it could not be read */
    public NvmException(String message, io.nicup.ndis.miniport.core.NvmImage image) {
        super(message);
        this.image = image;
    }

    /** The image that failed validation, or null. */
    public io.nicup.ndis.miniport.core.NvmImage image() {
        return image;
    }
}
