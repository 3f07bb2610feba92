package io.nicup.ndis.miniport.core;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.adapter.AllocatedResources;
import io.nicup.ndis.adapter.AllocatedResources.MemoryResource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ConfigSpaceCheck} on hand-made configuration spaces: the MSI-X table may lie in a memory BAR the
 * adapter was not given to map (a BAR too small to map on a 64 KiB-page host), but not in a BAR the
 * function does not implement, nor in the upper half of a 64-bit BAR; an all-ones space is left to the
 * steps that name the removal.
 */
class ConfigSpaceCheckTest {

    private static final int MSIX = 0x40;

    /** Header with the capability list, BAR0 32-bit memory, BAR2 64-bit memory (BAR3 its upper half), MSI-X at 0x40. */
    private static byte[] space(int tableBir) {
        byte[] c = new byte[256];
        put16(c, 0x00, 0x8086);
        put16(c, 0x06, 0x10);
        c[0x34] = MSIX;
        put32(c, 0x10, 0xFEB0_0000);
        put32(c, 0x18, 0xFE00_0000 | 0x4);
        put32(c, 0x1C, 0);
        c[MSIX] = 0x11;
        put16(c, MSIX + 2, 4);
        put32(c, MSIX + 4, tableBir);
        put32(c, MSIX + 8, 0x800 | tableBir);
        return c;
    }

    private static final AllocatedResources BAR0_ONLY = new AllocatedResources(
            List.of(new MemoryResource(0, 0x1000, false, false)), List.of());

    @Test
    void aTableInAnImplementedBarTheAdapterCannotMapIsAccepted() {
        assertThatCode(() -> ConfigSpaceCheck.check(space(2), BAR0_ONLY)).doesNotThrowAnyException();
        assertThatCode(() -> ConfigSpaceCheck.check(space(0), BAR0_ONLY)).doesNotThrowAnyException();
    }

    @Test
    void aTableInTheUpperHalfOfA64BitBarOrAnUnimplementedBarIsRefused() {
        assertThatThrownBy(() -> ConfigSpaceCheck.check(space(3), BAR0_ONLY)).isInstanceOf(DeviceConfigException.class)
                .hasMessage("MSI-X table is in a BAR the function does not have: bir=3 offset=0x0 vectors=5"
                        + " memory_bars=0");
        assertThatThrownBy(() -> ConfigSpaceCheck.check(space(1), BAR0_ONLY))
                .hasMessageStartingWith("MSI-X table is in a BAR the function does not have: bir=1");
        assertThatThrownBy(() -> ConfigSpaceCheck.check(space(6), BAR0_ONLY))
                .hasMessageStartingWith("MSI-X table is in a BAR the function does not have: bir=6");
    }

    @Test
    void aPbaPastTheEndOfAGivenBarIsRefused() {
        assertThatThrownBy(() -> ConfigSpaceCheck.check(space(0), new AllocatedResources(
                List.of(new MemoryResource(0, 0x800, false, false)), List.of())))
                .hasMessage("MSI-X PBA runs past the end of its BAR: bar=0 offset=0x800 bytes=0x8 bar_size=0x800"
                        + " vectors=5");
    }

    @Test
    void anAllOnesSpaceIsLeftToTheStepsThatNameTheRemoval() {
        byte[] c = new byte[4096];
        java.util.Arrays.fill(c, (byte) 0xFF);
        assertThatCode(() -> ConfigSpaceCheck.check(c, BAR0_ONLY)).doesNotThrowAnyException();
    }

    private static void put16(byte[] c, int at, int v) {
        c[at] = (byte) v;
        c[at + 1] = (byte) (v >>> 8);
    }

    private static void put32(byte[] c, int at, int v) {
        put16(c, at, v);
        put16(c, at + 2, v >>> 16);
    }
}
