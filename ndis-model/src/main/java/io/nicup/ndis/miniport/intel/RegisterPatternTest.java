package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.vfio.RegisterSpace;

/**
 * The register self-test of {@code ethtool -t} (Linux {@code e1000_reg_test}, {@code igb_reg_test}): the
 * read-only bits of STATUS must not change when written (Linux toggles 0x7FFFF3FF, leaving PHYRA and bit
 * 11 alone), and each writable register must keep the patterns 0x5A5A5A5A, 0xA5A5A5A5, 0, 0xFFFFFFFF in
 * its writable bits. The procedure is the same for both families; which registers, and which of their
 * bits, are each family's table.
 */
public final class RegisterPatternTest {

    private RegisterPatternTest() {
    }

    /** A writable register and the bits that must hold what was written. */
    public record Writable(String name, int offset, int mask) {
    }

    /** The STATUS bits Linux toggles: all but PHYRA (bit 10) and bit 11. */
    private static final int STATUS_TOGGLE = 0x7FFFF3FF;
    private static final int[] PATTERNS = {0x5A5A5A5A, 0xA5A5A5A5, 0x00000000, 0xFFFFFFFF};

    /**
     * Runs the test; every register written is restored, also on failure.
     *
     * @param status the offset of STATUS
     * @param writable the family's table, tested in order up to the first failure
     */
    public static SelfTestResult run(RegisterSpace regs, int status, Writable[] writable) {
        int toggle = STATUS_TOGGLE;
        int before = regs.read32(status);
        regs.write32(status, before ^ toggle);
        int after = regs.read32(status);
        regs.write32(status, before);
        if ((after & toggle) != (before & toggle)) {
            return new SelfTestResult("register", Outcome.FAIL, String.format(
                    "STATUS read-only bits changed: before=0x%08X after=0x%08X mask=0x%08X", before, after, toggle));
        }
        int tested = 0;
        for (Writable r : writable) {
            int offset = r.offset();
            int mask = r.mask();
            int saved = regs.read32(offset);
            for (int p : PATTERNS) {
                regs.write32(offset, p & mask);
                int got = regs.read32(offset);
                if ((got & mask) != (p & mask)) {
                    regs.write32(offset, saved);
                    return new SelfTestResult("register", Outcome.FAIL, String.format(
                            "%s (0x%05X) pattern test failed: wrote 0x%08X, read 0x%08X, mask 0x%08X", r.name(), offset,
                            p & mask, got, mask));
                }
            }
            regs.write32(offset, saved);
            tested++;
        }
        return new SelfTestResult("register", Outcome.PASS, "STATUS read-only bits held; " + tested
                + " registers kept 4 patterns each");
    }
}
