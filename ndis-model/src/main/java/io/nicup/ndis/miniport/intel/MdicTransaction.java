package io.nicup.ndis.miniport.intel;

import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.RegisterPoll;
import io.nicup.vfio.RegisterSpace;

/**
 * One PHY register access over MDIC, the same on the 82574L and the 82576 (Linux
 * {@code e1000e_read_phy_reg_mdic}, {@code igb_read_phy_reg_mdic}): write the command, poll MDIC.READY
 * with a deadline, and fail on MDIC.ERROR. The command encoding, the timeout and the exception are the
 * family's.
 */
public final class MdicTransaction {

    /** Makes the family's exception for an access that completed with MDIC.ERROR. */
    public interface Failure {
        RuntimeException of(String operation, int reg, int mdic);
    }

    private final RegisterSpace regs;
    private final DeviceClock clock;
    private final int mdic;
    private final int ready;
    private final int error;
    private final long timeoutNanos;
    private final Failure failure;

    /**
     * @param mdic offset of MDIC
     * @param ready MDIC.READY
     * @param error MDIC.ERROR
     */
    public MdicTransaction(RegisterSpace regs, DeviceClock clock, int mdic, int ready, int error, long timeoutNanos,
            Failure failure) {
        this.regs = regs;
        this.clock = clock;
        this.mdic = mdic;
        this.ready = ready;
        this.error = error;
        this.timeoutNanos = timeoutNanos;
        this.failure = failure;
    }

    /**
     * Writes {@code command} to MDIC and waits for READY.
     *
     * @param operation "read" or "write", for the failure
     * @param reg the PHY register, for the failure
     * @return MDIC as completed (the data of a read in its low 16 bits)
     * @throws io.nicup.vfio.RegisterTimeoutException when READY does not come in time
     */
    public int run(int command, String operation, int reg) {
        regs.write32(mdic, command);
        int v = RegisterPoll.until(regs, clock, "MDIC.READY", mdic, ready, ready, timeoutNanos);
        if ((v & error) != 0) {
            throw failure.of(operation, reg, v);
        }
        return v;
    }
}
