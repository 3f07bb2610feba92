package io.nicup.mock.intel;

import io.nicup.mock.ModelFault;
import io.nicup.mock.ModelFault.Counts;
import io.nicup.mock.ModelFault.Definition;

/**
 * The faults both Intel models inject, with the name a spec uses, what the trigger count counts and its
 * default. The shared engines fire them; each chip's fault enum ({@link ChipFault}) names the same
 * constants and says in its own words what the fault does on that chip, except for the hostile-device
 * faults, which do the same on both and are described here once.
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
    RX_LENGTH_ZERO("rx-length-zero", Counts.RX_FRAMES, 0,
            "the descriptor of received frame N+1 reports a length of 0"),
    RX_LENGTH_OVER_LIMIT("rx-length-over-limit", Counts.RX_FRAMES, 0,
            "the descriptor of received frame N+1 reports 1600 bytes: beyond the 1522-byte limit without LPE, within "
            + "the buffer"),
    RX_DD_UNSUBMITTED("rx-dd-unsubmitted", Counts.RX_FRAMES, 0,
            "received frame N+1 is written back (DD|EOP, no data) into the descriptor at RDT, which the driver never "
            + "handed over"),
    TX_DD_UNSUBMITTED("tx-dd-unsubmitted", Counts.TX_FRAMES, 0,
            "after N transmitted frames DD is written into the descriptor at TDT, which the driver never submitted"),
    RX_HEAD_OUT_OF_RANGE("rx-head-out-of-range", Counts.RX_FRAMES, 0,
            "at received frame N+1 RDH jumps past the ring (RDLEN/16 + 8); frames are missed (MPC) until a reset"),
    TX_HEAD_OUT_OF_RANGE("tx-head-out-of-range", Counts.TX_FRAMES, 0,
            "after N transmitted frames TDH jumps past the ring (TDLEN/16 + 8); transmit stops until a reset"),
    TX_FIRST_BUFFER_ONLY("tx-first-buffer-only", Counts.NOTHING, 0,
            "a frame spread over several data descriptors goes out with the first descriptor's bytes only: the "
            + "others are fetched and written back (DD) but add nothing to the frame"),
    REGISTERS_ALL_ONES("registers-all-ones", Counts.REGISTER_READS, 0,
            "after N register reads every BAR0 read returns all ones (config space stays)"),
    REGISTERS_RANDOM("registers-random", Counts.REGISTER_READS, 0,
            "after N register reads every BAR0 read returns a random value (fixed seed)"),
    TX_CSUM_SKIP("tx-csum-skip", Counts.TX_FRAMES, 0,
            "after N transmitted frames the device inserts no checksum a data descriptor's POPTS asks for: the "
            + "frame leaves with the fields the driver left"),
    RX_CSUM_LIE("rx-csum-lie", Counts.RX_FRAMES, 0,
            "from received frame N+1 on every checksum verdict is turned over: a good IPv4, TCP or UDP checksum "
            + "is reported with IPE/TCPE, a bad one without"),
    RESET_LOSES_RAR("reset-loses-rar", Counts.ALL_FRAMES, 1,
            "a CTRL.RST once N frames (TX+RX) went through leaves the receive address entries dead: RAL/RAH read"
            + " back as written but match nothing, so frames directed to the NIC are dropped (broadcast and"
            + " multicast still arrive); a power-on reset recovers"),
    IGNORE_PAUSE("ignore-pause", Counts.NOTHING, 0,
            "received PAUSE frames are counted (XOFFRXC/XONRXC) but the transmitter never stops for them, even with "
            + "CTRL.RFCE set"),
    RSS_WRONG_QUEUE("rss-wrong-queue", Counts.NOTHING, 0,
            "every frame RSS hashes is written to the next enabled receive queue after the one the redirection "
            + "table names (the hash in the write-back stays right)"),
    TSO_BAD_SEQ("tso-bad-seq", Counts.NOTHING, 0,
            "in a TCP segmentation (TSE) every segment after the first carries the sequence number of the one before "
            + "it; lengths, IDs, flags and checksums are right for what it carries"),
    RSS_BAD_HASH("rss-bad-hash", Counts.NOTHING, 0),
    MSIX_REFUSED("msix-refused", Counts.NOTHING, 0);

    private final String specName;
    private final Counts counts;
    private final long defaultAfter;
    /** What the fault does on both chips alike, or null where each chip describes it. */
    private final String sharedDescription;

    IntelFault(String specName, Counts counts, long defaultAfter) {
        this(specName, counts, defaultAfter, null);
    }

    IntelFault(String specName, Counts counts, long defaultAfter, String sharedDescription) {
        this.specName = specName;
        this.counts = counts;
        this.defaultAfter = defaultAfter;
        this.sharedDescription = sharedDescription;
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

        /** What the fault does on this chip, for help texts; null where both chips do the same. */
        String chipDescription();

        @Override
        default Definition definition() {
            IntelFault k = kind();
            String description = chipDescription();
            return new Definition(k.specName, k.counts, k.defaultAfter,
                    description != null ? description : k.sharedDescription);
        }
    }
}
