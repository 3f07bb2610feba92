package io.nicup.ndis.miniport.intel;

/**
 * What every {@link IntelChip} starts from: the chip's hardware class, made over the adapter's BAR 0 and
 * handed to the adapter as {@link #hardware()}. The subclass adds the chip's own steps.
 *
 * @param <H> the chip's hardware class
 */
public abstract class IntelChipBase<H extends IntelHardwareAccess> implements IntelChip {

    protected final H hw;
    /**
     * The receive queues the adapter runs, each with its own MSI-X message (told once, before the
     * capabilities are taken).
     */
    protected int queues = 1;

    protected IntelChipBase(H hw) {
        this.hw = hw;
    }

    /**
     * The queues the adapter runs, told once in MiniportInitializeEx after the interrupt registration
     * decided them and before the capabilities are taken (docs/ndis-contract.md §21).
     */
    @Override
    public final void useReceiveQueues(int n) {
        queues = n;
        spreadOver(n);
    }

    /** RSS from now on names only receive queues below {@code n} (the indirection table's modulo). */
    protected void spreadOver(int n) {
    }

    @Override
    public final H hardware() {
        return hw;
    }
}
