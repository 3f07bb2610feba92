package io.nicup.mock.virtio;

import io.nicup.mock.ModelFault;

/**
 * Faults the virtio-net model can inject ({@code mock:virtio-net?fault=NAME[@N]}). Faults with a trigger
 * count fire after {@code N} frames of the kind they count; {@code after=N} or {@code NAME@N} overrides
 * the default.
 */
public enum VirtioNetFault implements ModelFault {
    RESET_STUCK("reset-stuck", Counts.NOTHING, 0,
            "writing 0 to device_status never completes: it keeps reading its value (0x03 at power-on)"),
    FEATURES_REJECTED("features-rejected", Counts.NOTHING, 0,
            "FEATURES_OK is never kept: device_status reads back without it whatever the driver accepted"),
    NO_OPTIONAL_FEATURES("no-optional-features", Counts.NOTHING, 0,
            "the device offers VERSION_1 only: no MAC, STATUS, CTRL_VQ or CTRL_RX"),
    LINK_DOWN("link-down", Counts.NOTHING, 0, "virtio_net_config.status never shows LINK_UP"),
    LINK_FLAP("link-flap", Counts.ALL_FRAMES, 100,
            "LINK_UP drops after every N frames (TX+RX) and returns 10 ms later, each with a configuration interrupt"),
    TX_HANG("tx-hang", Counts.TX_FRAMES, 100,
            "after N transmitted frames the transmit used ring stops advancing, until a device reset"),
    RX_LENGTH("rx-length", Counts.RX_FRAMES, 0,
            "the used entry of received frame N+1 reports a length larger than its buffer"),
    ALL_ONES("all-ones", Counts.ALL_FRAMES, 0,
            "surprise removal after N frames (default at once): every BAR and config read returns all ones"),
    IRQ_STORM("irq-storm", Counts.ALL_FRAMES, 0,
            "after N frames the configuration interrupt re-fires every 100 us and never stops"),
    DMA_FAULT("dma-fault", Counts.RX_FRAMES, 0,
            "received frame N+1 is written outside any mapped region: an IOMMU fault, then DEVICE_NEEDS_RESET"),
    MSIX_NO_VECTOR("msix-no-vector", Counts.NOTHING, 0,
            "the device maps no MSI-X vector: config_msix_vector and queue_msix_vector read back NO_VECTOR"),
    DEVICE_NEEDS_RESET("device-needs-reset", Counts.ALL_FRAMES, 10,
            "after N frames the device sets DEVICE_NEEDS_RESET, signals a configuration change and stops its queues"),
    RX_LENGTH_ZERO("rx-length-zero", Counts.RX_FRAMES, 0,
            "the used entry of received frame N+1 reports a length of 0"),
    USED_IDX_JUMP("used-idx-jump", Counts.RX_FRAMES, 0,
            "with received frame N+1 the receive used.idx jumps by more than the queue size; the device then stops"
                    + " its queues until a reset"),
    USED_ID_RANGE("used-id-range", Counts.RX_FRAMES, 0,
            "received frame N+1 is returned under an id beyond the queue; the device then stops its queues until a"
                    + " reset"),
    USED_ID_DUPLICATE("used-id-duplicate", Counts.RX_FRAMES, 0,
            "received frame N+1's buffer is returned twice; the device then stops its queues until a reset"),
    USED_ID_NOT_HEAD("used-id-not-head", Counts.TX_FRAMES, 0,
            "transmitted frame N+1 is sent, then returned under its second descriptor (not a chain head); the"
                    + " device then stops its queues until a reset"),
    TX_FIRST_BUFFER_ONLY("tx-first-buffer-only", Counts.NOTHING, 0,
            "a transmit chain of more than one data descriptor after its header goes out with the first data"
                    + " descriptor's bytes only: the others are read but add nothing to the frame"),
    VENDOR_CAP_BAR_MISSING("vendor-cap-bar-missing", Counts.NOTHING, 0,
            "the COMMON_CFG capability names BAR5 (the upper half of 64-bit BAR4, no BAR of its own)"),
    VENDOR_CAP_BEYOND_BAR("vendor-cap-beyond-bar", Counts.NOTHING, 0,
            "the COMMON_CFG capability's structure runs past the end of BAR4"),
    REGISTERS_ALL_ONES("registers-all-ones", Counts.REGISTER_READS, 0,
            "after N BAR4 reads (common and device configuration, ISR) every BAR4 read returns all ones (config"
                    + " space stays)"),
    REGISTERS_RANDOM("registers-random", Counts.REGISTER_READS, 0,
            "after N BAR4 reads every BAR4 read returns a random value (fixed seed)"),
    CONFIG_GENERATION_UNSTABLE("config-generation-unstable", Counts.REGISTER_READS, 0,
            "after N BAR4 reads config_generation reads a new value every time: the device configuration never"
                    + " reads consistently"),
    QUEUE_SIZE_BAD("queue-size-bad", Counts.REGISTER_READS, 0,
            "after N BAR4 reads queue_size reads 384 for receiveq1 (not a power of two), 40000 for transmitq1"
                    + " (above 32768) and 0 for controlq (not available)"),
    NUM_QUEUES_ZERO("num-queues-zero", Counts.REGISTER_READS, 0,
            "after N BAR4 reads num_queues reads 0"),
    STATUS_GARBAGE("status-garbage", Counts.REGISTER_READS, 0,
            "after N BAR4 reads device_status reads what the driver wrote with DEVICE_NEEDS_RESET and the reserved"
                    + " bit 5 set and FEATURES_OK clear; a reset never reads 0"),
    ISR_GARBAGE("isr-garbage", Counts.REGISTER_READS, 0,
            "after N BAR4 reads every ISR read shows the reserved bits 2-7 and the configuration-change bit set,"
                    + " whatever happened (the read still clears the real bits)"),
    TX_CSUM_WRONG("tx-csum-wrong", Counts.NOTHING, 0,
            "with offload=on, every checksum the device inserts (NEEDS_CSUM, and each GSO segment's TCP checksum)"
                    + " is one more than the right one"),
    GSO_BAD_SEQ("gso-bad-seq", Counts.NOTHING, 0,
            "with offload=on, every segment of a GSO frame carries the first segment's TCP sequence number"),
    RX_CSUM_ALWAYS_VALID("rx-csum-always-valid", Counts.NOTHING, 0,
            "with offload=on and GUEST_CSUM negotiated, every received TCP or UDP frame gets DATA_VALID, also one"
                    + " whose checksum is wrong"),
    RSS_TABLE_LIMIT("rss-table-limit", Counts.NOTHING, 0,
            "with rss=on, RSS_CONFIG with an indirection table of more than 16 entries is refused (VIRTIO_NET_ERR),"
                    + " though rss_max_indirection_table_length says 128"),
    HASH_REPORT_WRONG("hash-report-wrong", Counts.NOTHING, 0,
            "with rss=on or rss=hash and HASH_REPORT negotiated, every hash_value the device reports has its lowest"
                    + " bit flipped (the frame still goes to the queue the right hash names)"),
    RSS_WRONG_QUEUE("rss-wrong-queue", Counts.NOTHING, 0,
            "with rss=on, queues above 1 and RSS_CONFIG in force, every frame the indirection table steers goes to"
                    + " the next receive queue in use instead (its hash is right)"),
    MQ_REFUSED("mq-refused", Counts.MQ_COMMANDS, 1,
            "once N MQ commands (RSS_CONFIG, HASH_CONFIG, VQ_PAIRS_SET) were accepted since the last reset, every"
                    + " further one is refused (VIRTIO_NET_ERR) and leaves RSS off, as QEMU does; a device reset"
                    + " (device_status 0) starts the count again"),
    MQ_REFUSED_ALWAYS("mq-refused-always", Counts.MQ_COMMANDS, 1,
            "as mq-refused, but counted from power-on: a device reset does not end the refusals");

    private final Definition definition;

    VirtioNetFault(String specName, Counts counts, long defaultAfter, String description) {
        this.definition = new Definition(specName, counts, defaultAfter, description);
    }

    @Override
    public Definition definition() {
        return definition;
    }
}
