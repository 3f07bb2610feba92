package io.nicup.ndis;

/**
 * An NDIS call that in C returns an NDIS_STATUS together with an out-parameter (a handle, an address)
 * failed. In Java such calls return the out-value and throw this on failure; {@link #status()} is the
 * status the C call would have returned. A miniport catches it and unwinds:
 * {@snippet :
 * try {
 *     interrupt = ndis.NdisMRegisterInterruptEx(handle, this, interruptCharacteristics);
 * } catch (NdisStatusException e) {
 *     releaseAll();
 *     return e.status();
 * }
 * }
 */
public final class NdisStatusException extends NdisException {

    private final int status;
    private final NdisCall call;

    public NdisStatusException(NdisCall call, int status, String detail) {
        super("call=" + call + " status=" + NdisStatus.describe(status) + (detail.isEmpty() ? "" : " " + detail));
        this.call = call;
        this.status = status;
    }

    public int status() {
        return status;
    }

    public NdisCall call() {
        return call;
    }
}
