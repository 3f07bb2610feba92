package io.nicup.ndis.miniport.intel;

/** The ICR causes the shared adapter code reads, at the same positions on the 82574L and the 82576. */
public final class IntelCauses {

    /** Link status change. */
    public static final int LSC = 0x0000_0004;
    /** Every cause: what IMC and a stale-cause clear write. */
    public static final int ALL = 0xFFFF_FFFF;

    private IntelCauses() {
    }
}
