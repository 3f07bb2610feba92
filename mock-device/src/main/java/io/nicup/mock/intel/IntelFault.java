package io.nicup.mock.intel;

import io.nicup.mock.ModelFault;
import io.nicup.mock.ModelFault.Counts;
import io.nicup.mock.ModelFault.Definition;

/**
 * The faults both Intel models inject, with the name a spec uses, what the trigger count counts and its
 * default. The shared engines fire them; each chip's fault enum ({@link ChipFault}) names the same
 * constants and says in its own words what the fault does on that chip.
 */
public enum IntelFault {
    RESET_STUCK("reset-stuck", Counts.NOTHING, 0),
    NVM_AUTOREAD_STUCK("nvm-autoread-stuck", Counts.NOTHING, 0),
    NVM_CHECKSUM("nvm-checksum", Counts.NOTHING, 0),
    EERD_STUCK("eerd-stuck", Counts.NOTHING, 0),
    MDIC_ERROR("mdic-error", Counts.NOTHING, 0),
    MDIC_STUCK("mdic-stuck", Counts.NOTHING, 0),
    LINK_DOWN("link-down", Counts.NOTHING, 0),
    LINK_FLAP("link-flap", Counts.ALL_FRAMES, 100),
    TX_HANG("tx-hang", Counts.TX_FRAMES, 100),
    RX_LENGTH("rx-length", Counts.RX_FRAMES, 0),
    ALL_ONES("all-ones", Counts.ALL_FRAMES, 0),
    IRQ_STORM("irq-storm", Counts.ALL_FRAMES, 0),
    DMA_FAULT("dma-fault", Counts.RX_FRAMES, 0),
    RX_LENGTH_ZERO("rx-length-zero", Counts.RX_FRAMES, 0),
    RX_LENGTH_OVER_LIMIT("rx-length-over-limit", Counts.RX_FRAMES, 0),
    RX_DD_UNSUBMITTED("rx-dd-unsubmitted", Counts.RX_FRAMES, 0),
    TX_DD_UNSUBMITTED("tx-dd-unsubmitted", Counts.TX_FRAMES, 0),
    RX_HEAD_OUT_OF_RANGE("rx-head-out-of-range", Counts.RX_FRAMES, 0),
    TX_HEAD_OUT_OF_RANGE("tx-head-out-of-range", Counts.TX_FRAMES, 0),
    REGISTERS_ALL_ONES("registers-all-ones", Counts.REGISTER_READS, 0),
    REGISTERS_RANDOM("registers-random", Counts.REGISTER_READS, 0);

    private final String specName;
    private final Counts counts;
    private final long defaultAfter;

    IntelFault(String specName, Counts counts, long defaultAfter) {
        this.specName = specName;
        this.counts = counts;
        this.defaultAfter = defaultAfter;
    }

    /**
     * A chip's fault enum: constants named as {@link IntelFault}'s, each with the chip's description.
     * The spec name, count and default come from the shared constant of the same name.
     */
    public interface ChipFault extends ModelFault {

        /** The shared constant of the same name. */
        default IntelFault kind() {
            return IntelFault.valueOf(((Enum<?>) this).name());
        }

        /** What the fault does on this chip, for help texts. */
        String chipDescription();

        @Override
        default Definition definition() {
            IntelFault k = kind();
            return new Definition(k.specName, k.counts, k.defaultAfter, chipDescription());
        }
    }
}
