package io.nicup.mock.e82576;

import io.nicup.mock.ModelFault;

import java.util.Map;

/**
 * Faults the 82576 model can inject, by the names a spec uses ({@code mock:82576?fault=NAME[@N]}).
 * Faults with a trigger count fire after {@code N} frames of the kind they count; the spec's
 * {@code after=N} or {@code NAME@N} overrides the default.
 */
public enum E82576Fault implements ModelFault {
    RESET_STUCK("reset-stuck", Counts.NOTHING, 0, "CTRL.RST never self-clears; writes stay ignored"),
    NVM_AUTOREAD_STUCK("nvm-autoread-stuck", Counts.NOTHING, 0,
            "the NVM auto-read never completes after reset: EECD.AUTO_RD stays clear, EERD never answers, RAL0/RAH0 stay empty"),
    NVM_CHECKSUM("nvm-checksum", Counts.NOTHING, 0, "NVM words 0x00-0x3F do not sum to 0xBABA"),
    EERD_STUCK("eerd-stuck", Counts.NOTHING, 0, "EERD.DONE never sets"),
    MDIC_ERROR("mdic-error", Counts.NOTHING, 0, "every MDIC operation completes with ERROR"),
    MDIC_STUCK("mdic-stuck", Counts.NOTHING, 0, "MDIC.READY never sets"),
    LINK_DOWN("link-down", Counts.NOTHING, 0, "the link never comes up"),
    LINK_FLAP("link-flap", Counts.ALL_FRAMES, 100,
            "the link drops after every N frames (TX+RX) and returns 10 ms later through autonegotiation"),
    TX_HANG("tx-hang", Counts.TX_FRAMES, 100, "TDH stops advancing after N transmitted frames since the last reset"),
    RX_LENGTH("rx-length", Counts.RX_FRAMES, 0,
            "the descriptor of received frame N+1 reports a length larger than its buffer"),
    ALL_ONES("all-ones", Counts.ALL_FRAMES, 0,
            "surprise removal after N frames (default at once): every register and config read returns all ones"),
    IRQ_STORM("irq-storm", Counts.ALL_FRAMES, 0,
            "after N frames the LSC cause sticks: it never clears and re-signals every 100 us (on the IVAR_MISC vector with MSI-X)"),
    DMA_FAULT("dma-fault", Counts.RX_FRAMES, 0,
            "received frame N+1 is written outside any mapped region: an IOMMU fault");

    private final Definition definition;

    E82576Fault(String specName, Counts counts, long defaultAfter, String description) {
        this.definition = new Definition(specName, counts, defaultAfter, description);
    }

    @Override
    public Definition definition() {
        return definition;
    }

    public static E82576Fault bySpecName(String name) {
        return ModelFault.bySpecName(E82576Fault.class, "82576", name);
    }

    /** Spec name to description, in declaration order. */
    public static Map<String, String> catalogue() {
        return ModelFault.catalogue(E82576Fault.class);
    }
}
