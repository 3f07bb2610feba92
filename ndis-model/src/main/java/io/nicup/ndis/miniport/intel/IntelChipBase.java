package io.nicup.ndis.miniport.intel;

/**
 * What every {@link IntelChip} starts from: the chip's hardware class, made over the adapter's BAR 0 and
 * handed to the adapter as {@link #hardware()}. The subclass adds the chip's own steps.
 *
 * @param <H> the chip's hardware class
 */
public abstract class IntelChipBase<H extends IntelHardwareAccess> implements IntelChip {

    protected final H hw;

    protected IntelChipBase(H hw) {
        this.hw = hw;
    }

    @Override
    public final H hardware() {
        return hw;
    }
}
