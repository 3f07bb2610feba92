package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.vfio.InterruptMode;

/**
 * What one Intel chip does differently under the one {@link IntelAdapter}: the chip's steps of the
 * initialization sequence, its descriptor rings, its interrupt unit and its receive control. One
 * instance per adapter, made by the {@link IntelChipProfile} over the adapter's mapped BAR 0. The
 * adapter calls the steps in the datasheet's order and keeps everything NDIS sees.
 *
 * <p>The interrupt vectors are the adapter's: {@link IntelAdapter#VECTOR_RX} receive queue 0,
 * {@link IntelAdapter#VECTOR_TX} transmit queue 0, {@link IntelAdapter#VECTOR_OTHER} the other causes (link).
 */
public interface IntelChip {

    /** The chip's procedures the adapter calls directly (reset, NVM, addresses, link). */
    IntelHardware hardware();

    /**
     * The checksum, LSO and RSS offloads the driver implements for this chip
     * (docs/ndis-contract.md §9, §10): what the offload attributes, the RSS capabilities and the offload OIDs announce. Each chip
     * declares its own; a feature belongs here only once the chip's rings and registers really do it.
     */
    io.nicup.ndis.miniport.core.OffloadCapabilities offloadCapabilities();

    // ---- reset and identify ---------------------------------------------------------------------

    /**
     * Quiesce, CTRL.RST and whatever the chip needs before its NVM can be trusted (the 82576 resets its
     * PHY); returns the NVM checksum word sum.
     *
     * @throws NvmException when the NVM cannot be read at all
     */
    int resetAndSumNvm();

    // ---- diagnostics ------------------------------------------------------------------------------

    /** The firmware version as the chip's Linux driver prints it for {@code ethtool -i}, from the NVM words. */
    String firmwareVersion(java.util.function.IntUnaryOperator nvmWord);

    /** Port identification ({@code ethtool -p}) through LEDCTL, as the chip's Linux driver blinks it. */
    IdLed identification();

    /** How the chip's Linux driver sets up IEEE 802.3x flow control (docs/hardware-reference.md B.14). */
    FlowControl.Profile flowControl();

    // ---- descriptor rings -------------------------------------------------------------------------

    /** The descriptor sizes and ring classes of the chip's layout. */
    RingLayout rings();

    // ---- hardware programming, in the order the adapter calls them -------------------------------

    /** The chip's own bits after a reset: driver loaded (CTRL_EXT.DRV_LOAD), errata, VLAN filter table cleared. */
    void programChipBits();

    /** Transmit: ring registers, TCTL and whatever enables the queue. */
    void programTransmit(TxDescriptorRing tx);

    /** Receive: receiver off, ring registers, buffer size, queue enable, RDT = count - 1 (the refill). */
    void programReceive(RxDescriptorRing rx, IntelConfig config);

    /**
     * Receive with every queue the adapter runs ({@code rings[q]} is queue q): a chip with one receive
     * queue programs the first as {@link #programReceive} does.
     */
    default void programReceiveQueues(RxDescriptorRing[] rings, IntelConfig config) {
        programReceive(rings[0], config);
    }

    /**
     * The receive queues RSS can spread over, one MSI-X message each ({@link ReceiveQueuePlan}); 1 for a chip
     * whose driver runs one receive queue.
     */
    default int maxReceiveQueues() {
        return 1;
    }

    /**
     * The receive queues the adapter runs, told once before the RSS capabilities are taken
     * ({@link #offloadCapabilities}) and before any programming; never more than {@link #maxReceiveQueues}.
     */
    default void useReceiveQueues(int queues) {
    }

    /**
     * RXCSUM = {@code rxcsum} ({@link IntelChecksum#rxcsum}): which receive checksums the chip validates
     * (docs/hardware-reference.md B.15).
     */
    void programReceiveChecksum(int rxcsum);

    /**
     * Keeps the RSS configuration OID_GEN_RECEIVE_SCALE_PARAMETERS accepted and, with {@code writeNow},
     * programs it (docs/hardware-reference.md B.16); {@link #programReceive} writes it again after a reset.
     * Never called for a chip whose {@link #offloadCapabilities()} declare no RSS.
     */
    void programReceiveScale(NdisReceiveScaleParameters rss, boolean writeNow);

    /** Where the chip's receive write-back carries the RSS hash of a frame in {@code rx}; {@link ReceiveHash#NONE} without RSS. */
    ReceiveHash receiveHash(RxDescriptorRing rx);

    /** Interrupt moderation: about 20000 interrupts/s when {@code moderate}, none otherwise. */
    void programInterruptModeration(boolean moderate);

    // ---- interrupts ---------------------------------------------------------------------------------

    /** Interrupt routing and the causes to unmask for {@code mode}, right after the interrupt is registered. */
    void routeInterrupts(InterruptMode mode);

    /** Interrupt routing again after a MiniportResetEx for {@code mode} (null when polling). */
    void rerouteAfterReset(InterruptMode mode);

    /** Clears causes left from before Restart. */
    void clearStaleCauses();

    /** Unmasks the causes routed by {@link #routeInterrupts}. */
    void unmaskInterrupts();

    /** Masks every cause. */
    void maskInterrupts();

    /** Masks the link-change cause for good (a storm); returns the IMC value written. */
    int maskLinkCause(InterruptMode mode);

    /**
     * The ISR of MSI-X vector {@code messageId}: the ICR causes it clears and hands to the DPC (0 when the
     * vector's causes are cleared by the hardware).
     */
    int msixCauses(int messageId);

    /** ICR (cleared on read without MSI-X). */
    int readIcr();

    /** IMS while running. */
    int imsValue();

    /** EIMS while running (the 82576 in MSI-X mode), else 0. */
    int eimsValue();

    // ---- receive control and shutdown ---------------------------------------------------------------

    /** RCTL for the NDIS {@code packetFilter}, with the receiver on when {@code enable}. */
    void writeReceiveControl(int packetFilter, boolean enable);

    /**
     * How long after MiniportRestart the receiver goes on; 0 to enable it inside MiniportRestart. See
     * {@link IntelAdapter} for why the 82576 waits.
     */
    long receiverStartDelayNanos();

    /** MiniportShutdownEx: interrupts masked, receiver and transmitter off; nothing freed. */
    void shutdown();
}
