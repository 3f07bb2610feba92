package io.nicup.mock.e82576;

import io.nicup.mock.intel.IntelFault;

/**
 * Faults the 82576 model can inject, by the names a spec uses ({@code mock:82576?fault=NAME[@N]}).
 * Faults with a trigger count fire after {@code N} frames of the kind they count; the spec's
 * {@code after=N} or {@code NAME@N} overrides the default. The names, counts and defaults are the
 * family's ({@link IntelFault}); the descriptions are this chip's.
 */
public enum E82576Fault implements IntelFault.ChipFault {
    RESET_STUCK("CTRL.RST never self-clears; writes stay ignored"),
    NVM_AUTOREAD_STUCK("the NVM auto-read never completes after reset: EECD.AUTO_RD stays clear, EERD never answers, "
            + "RAL0/RAH0 stay empty"),
    NVM_CHECKSUM("NVM words 0x00-0x3F do not sum to 0xBABA"),
    EERD_STUCK("EERD.DONE never sets"),
    MDIC_ERROR("every MDIC operation completes with ERROR"),
    MDIC_STUCK("MDIC.READY never sets"),
    LINK_DOWN("the link never comes up"),
    LINK_FLAP("the link drops after every N frames (TX+RX) and returns 10 ms later through autonegotiation"),
    TX_HANG("TDH stops advancing after N transmitted frames since the last reset"),
    RX_LENGTH("the descriptor of received frame N+1 reports a length larger than its buffer"),
    ALL_ONES("surprise removal after N frames (default at once): every register and config read returns all ones"),
    IRQ_STORM("after N frames the LSC cause sticks: it never clears and re-signals every 100 us "
            + "(on the IVAR_MISC vector with MSI-X)"),
    DMA_FAULT("received frame N+1 is written outside any mapped region: an IOMMU fault"),
    MSIX_REFUSED("MSI-X is offered (capability, 10 vectors) but arming it fails, as a host's VFIO_DEVICE_SET_IRQS can: "
            + "the driver learns it when it registers its interrupt and falls back to MSI"),
    // described once for both chips (IntelFault)
    RX_LENGTH_ZERO, RX_LENGTH_OVER_LIMIT, RX_DD_UNSUBMITTED, TX_DD_UNSUBMITTED, RX_HEAD_OUT_OF_RANGE,
    TX_HEAD_OUT_OF_RANGE, TX_FIRST_BUFFER_ONLY, REGISTERS_ALL_ONES, REGISTERS_RANDOM, TX_CSUM_SKIP,
    RX_CSUM_LIE, RESET_LOSES_RAR, IGNORE_PAUSE, TSO_BAD_SEQ, RSS_WRONG_QUEUE;

    private final String description;

    E82576Fault() {
        this(null);
    }

    E82576Fault(String description) {
        this.description = description;
    }

    @Override
    public String chipDescription() {
        return description;
    }
}
