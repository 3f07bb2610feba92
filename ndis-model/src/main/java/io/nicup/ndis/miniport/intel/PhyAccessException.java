package io.nicup.ndis.miniport.intel;

/** A PHY access over MDIC that completed with MDIC.ERROR, or a PHY that did not answer. */
public final class PhyAccessException extends RuntimeException {

    private final int mdic;

    /** @param message what failed, with the MDIC value and what it means on the chip */
    public PhyAccessException(String message, int mdic) {
        super(message);
        this.mdic = mdic;
    }

    /** The last MDIC value. */
    public int mdic() {
        return mdic;
    }
}
