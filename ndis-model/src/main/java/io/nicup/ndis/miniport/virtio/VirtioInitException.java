package io.nicup.ndis.miniport.virtio;

/**
 * A device condition that makes MiniportInitializeEx (or the re-initialization of MiniportResetEx) fail,
 * with a message naming what was seen in key=value form.
 */
final class VirtioInitException extends RuntimeException {

    VirtioInitException(String message) {
        super(message);
    }
}
