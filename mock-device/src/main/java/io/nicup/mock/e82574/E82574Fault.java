package io.nicup.mock.e82574;

import io.nicup.mock.intel.IntelFault;

/**
 * Faults the 82574L model can inject, by the names a spec uses ({@code mock:82574L?fault=NAME[@N]}).
 * Faults with a trigger count fire after {@code N} frames of the kind they count; the spec's
 * {@code after=N} or {@code NAME@N} overrides the default. The names, counts and defaults are the
 * family's ({@link IntelFault}); the descriptions are this chip's.
 */
public enum E82574Fault implements IntelFault.ChipFault {
    RESET_STUCK("CTRL.RST never self-clears; writes stay ignored"),
    NVM_AUTOREAD_STUCK("EECD.AUTO_RD never sets after reset"),
    NVM_CHECKSUM("NVM words 0x00-0x3F do not sum to 0xBABA"),
    EERD_STUCK("EERD.DONE never sets"),
    MDIC_ERROR("every MDIC operation completes with ERROR"),
    MDIC_STUCK("MDIC.READY never sets"),
    LINK_DOWN("the link never comes up"),
    LINK_FLAP("the link drops after every N frames (TX+RX) and returns 10 ms later through autonegotiation"),
    TX_HANG("TDH stops advancing after N transmitted frames, until a reset"),
    RX_LENGTH("the descriptor of received frame N+1 reports a length larger than its buffer"),
    ALL_ONES("surprise removal after N frames (default at once): every register and config read returns all ones"),
    IRQ_STORM("after N frames the LSC cause sticks: it never clears and re-signals every 100 us"),
    DMA_FAULT("received frame N+1 is written outside any mapped region: an IOMMU fault"),
    RX_LENGTH_ZERO("the descriptor of received frame N+1 reports a length of 0"),
    RX_LENGTH_OVER_LIMIT("the descriptor of received frame N+1 reports 1600 bytes: beyond the 1522-byte limit without "
            + "LPE, within the buffer"),
    RX_DD_UNSUBMITTED("received frame N+1 is written back (DD|EOP, no data) into the descriptor at RDT, which the "
            + "driver never handed over"),
    TX_DD_UNSUBMITTED("after N transmitted frames DD is written into the descriptor at TDT, which the driver never "
            + "submitted"),
    RX_HEAD_OUT_OF_RANGE("at received frame N+1 RDH jumps past the ring (RDLEN/16 + 8); frames are missed (MPC) "
            + "until a reset"),
    TX_HEAD_OUT_OF_RANGE("after N transmitted frames TDH jumps past the ring (TDLEN/16 + 8); transmit stops until a "
            + "reset"),
    REGISTERS_ALL_ONES("after N register reads every BAR0 read returns all ones (config space stays)"),
    REGISTERS_RANDOM("after N register reads every BAR0 read returns a random value (fixed seed)");

    private final String description;

    E82574Fault(String description) {
        this.description = description;
    }

    @Override
    public String chipDescription() {
        return description;
    }
}
