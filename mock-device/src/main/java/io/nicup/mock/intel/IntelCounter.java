package io.nicup.mock.intel;

/**
 * What the Intel models count that the chips have no register for, for tests. Each chip's model names
 * the ones it can count in its own {@code Counter} enum, by the same names.
 */
public enum IntelCounter {
    /** Frames from the wire lost because STATUS.LU was clear. */
    RX_NO_LINK,
    /** Frames lost because RCTL.EN was clear. */
    RX_DISABLED,
    /** Frames lost because receive queue 0 was not enabled (82576 RXDCTL.ENABLE). */
    RX_QUEUE_DISABLED,
    /** Frames rejected by the address filters. */
    RX_FILTERED,
    /** Frames held in the receive FIFO for lack of descriptors (or bus mastering). */
    RX_HELD,
    /** Frames dropped because the receive FIFO was full (also in MPC). */
    RX_MISSED,
    /** Frames from the wire ignored because the MAC or PHY was in loopback. */
    RX_IGNORED_IN_LOOPBACK,
    /** Receive descriptors skipped because their buffer address was 0. */
    RX_NULL_DESCRIPTOR,
    /** Frames cut short because the ring ran out in the middle of a frame. */
    RX_TRUNCATED,
    /** Transmitted frames lost because the link was down (QEMU drops them too). */
    TX_NO_LINK,
    /** Transmitted frames whose last descriptor lacked IFCS. */
    TX_WITHOUT_IFCS,
    /** Transmit descriptors chains that formed no frame (shorter than 14 bytes). */
    TX_MALFORMED,
    /** Frames longer than 16 KiB, dropped. */
    TX_OVERSIZE,
    /** Frames dropped because a buffer read faulted in the IOMMU. */
    TX_DMA_FAULT,
    /** Offload context descriptors skipped (counted on the 82576). */
    TX_CONTEXT_DESCRIPTORS,
    /** TCP segmentations refused because their context did not describe the frame (also in TSCTFC). */
    TX_SEGMENTATION_FAILED,
    /** DMA the device did not make because bus mastering was off. */
    DMA_BLOCKED_BUS_MASTER,
    /** Register writes ignored because CTRL.RST was set. */
    WRITES_DURING_RESET,
    /** Accesses to offsets the model does not implement. */
    UNIMPLEMENTED_ACCESSES,
    /** Link drops caused by the link-flap fault. */
    LINK_FLAPS,
    /** Re-signals of the irq-storm fault. */
    IRQ_STORM_TICKS,
    /** MSI-X messages signalled (counted on the 82576). */
    MSIX_SIGNALS,
    /** Frames missed because RDH pointed outside the ring (rx-head-out-of-range; also in MPC). */
    RX_HEAD_OUTSIDE_RING,
    /** Transmit ring walks not made because TDH pointed outside the ring (tx-head-out-of-range). */
    TX_HEAD_OUTSIDE_RING,
    /** Write-backs into a descriptor the driver had not handed over (rx-dd-unsubmitted, tx-dd-unsubmitted). */
    UNSUBMITTED_WRITE_BACKS
}
