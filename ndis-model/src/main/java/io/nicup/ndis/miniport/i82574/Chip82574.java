package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.miniport.core.OffloadCapabilities;
import static io.nicup.ndis.miniport.intel.IntelAdapter.VECTOR_OTHER;
import static io.nicup.ndis.miniport.intel.IntelAdapter.VECTOR_RX;
import static io.nicup.ndis.miniport.intel.IntelAdapter.VECTOR_TX;

import io.nicup.ndis.miniport.intel.FlowControl;
import io.nicup.ndis.miniport.intel.IdLed;
import io.nicup.ndis.miniport.intel.IntelChecksum;
import io.nicup.ndis.miniport.intel.TxLargeSend;
import io.nicup.ndis.miniport.intel.IntelChipBase;
import io.nicup.ndis.miniport.intel.IntelReceiveScale;
import io.nicup.ndis.miniport.intel.NvmVersions;
import io.nicup.ndis.miniport.intel.ReceiveHash;
import io.nicup.ndis.miniport.intel.ReceiveQueuePlan;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.miniport.intel.IntelConfig;
import io.nicup.ndis.miniport.intel.ReceiveControl;
import io.nicup.ndis.miniport.intel.RingLayout;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.ndis.miniport.intel.TxDescriptorRing;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterSpace;

/**
 * The 82574L's steps of the Intel adapter's initialization (docs/hardware-reference.md B.5, datasheet 4.6 "Software
 * initialization"; Linux e1000e), its descriptor rings (legacy transmit, extended receive), its receive-side
 * scaling ({@link ReceiveScale82574}), its interrupt unit and its RCTL.
 *
 * <h2>Interrupts</h2>
 * MSI-X: IVAR routes RXQ0, TXQ0 and OTHER (link) to the adapter's three vectors, and RXQ1 to the fourth
 * ({@link ReceiveQueuePlan#rxVector}) when the adapter runs two receive queues. The ISR clears its causes in
 * ICR by writing ones (in MSI-X mode ICR does not clear on read, QEMU {@code e1000e_mac_icr_read}).
 * MSI and INTx: ICR clears on read, one receive queue.
 *
 * <h2>Receive queues</h2>
 * Two with MSI-X (docs/hardware-reference.md B.18, docs/ndis-contract.md §21): queue 1 has its own ring
 * (RDBAL1/RDBAH1/RDLEN1/RDH1/RDT1), programmed as queue 0's; RSS (MRQC 01b) picks the queue by RETA's bit 7.
 */
public final class Chip82574 extends IntelChipBase<E82574Hardware> {

    /**
     * Legacy transmit descriptors; extended receive descriptors, always, as Linux e1000e runs them: only their
     * write-back carries the RSS hash, and the checksum verdicts keep their bit values in it
     * (docs/hardware-reference.md B.18). One format means no switch on the hot path or while frames are in flight.
     */
    private static final RingLayout RINGS =
            new RingLayout(LegacyTxDescriptor.BYTES, ExtRxDescriptor.BYTES, TxRing::new, ExtRxRing::new);

    /** ITR is in 256 ns units; 20000 interrupts/s (Linux e1000e's "dynamic conservative" ceiling). */
    static final int ITR_20K = (int) (1_000_000_000L / (20_000L * 256));

    private final IntelReceiveScale receiveScale;
    private int rctlBase;
    private int imsValue;

    public Chip82574(RegisterSpace regs, DeviceClock clock) {
        super(new E82574Hardware(regs, clock));
        this.receiveScale = new IntelReceiveScale(hw, ReceiveScale82574.LAYOUT);
    }

    /** docs/hardware-reference.md B.5 steps 1-5: quiesce, CTRL.RST, NVM auto-read, then the NVM checksum through EERD. */
    @Override
    public int resetAndSumNvm() {
        hw.quiesce();
        hw.reset();
        return hw.nvmChecksum();
    }

    /** e1000e ({@code e1000_get_drvinfo}): NVM word 5 as "major.minor-build" (docs/hardware-reference.md B.12). */
    @Override
    public String firmwareVersion(java.util.function.IntUnaryOperator nvmWord) {
        return NvmVersions.e1000e(nvmWord);
    }

    /**
     * e1000e on the 82574 (docs/hardware-reference.md B.13): the ID LED settings of NVM word 4, the reserved
     * 0xF746 read as {@code ID_LED_DEFAULT_82573} ({@code e1000_valid_led_default_82571}); the blink bit makes
     * the hardware blink until identification ends ({@code e1000_set_phys_id} returns 0).
     */
    @Override
    public IdLed identification() {
        int word = hw.readNvm(ID_LED_SETTINGS_WORD);
        return new IdLed(hw, Regs82574.LEDCTL, word == ID_LED_RESERVED_F746 ? ID_LED_DEFAULT_82573 : word, 0);
    }

    /**
     * Linux {@code e1000e_reset}: pause time {@code E1000_FC_PAUSE_TIME} 0x0680, the high watermark one frame
     * below the receive part of PBA (at most 90 %), 8-byte granularity (docs/hardware-reference.md B.14).
     */
    @Override
    public FlowControl.Profile flowControl() {
        return new FlowControl.Profile(Regs82574.CTRL, 0x0680, 8, 1, () -> hw.read(Regs82574.PBA) & 0xFFFF);
    }

    /** NVM word with the ID LED settings, and what e1000e makes of its reserved value on the 82573/82574/82583. */
    static final int ID_LED_SETTINGS_WORD = 0x04;
    static final int ID_LED_RESERVED_F746 = 0xF746;
    static final int ID_LED_DEFAULT_82573 = IdLed.DEF1_DEF2 << 12 | IdLed.OFF1_ON2 << 8 | IdLed.DEF1_DEF2 << 4
            | IdLed.DEF1_DEF2;

    /**
     * Checksum offload both ways (docs/hardware-reference.md B.15): TCP/IP context and extended data
     * descriptors on transmit, RXCSUM verdicts in the extended receive write-back. IPv6 extension headers
     * are validated on receive (RFCTL.IPV6_EX_DIS stays clear). LSOv2 for IPv4 and IPv6 (docs/hardware-reference.md B.17).
     * RSS over the receive queues the driver runs ({@link ReceiveScale82574}, docs/hardware-reference.md B.18).
     */
    @Override
    public OffloadCapabilities offloadCapabilities() {
        return TxLargeSend.withLargeSend(new OffloadCapabilities(IntelChecksum.capabilities(true).hardware(),
                ReceiveScale82574.capabilities(queues)));
    }

    @Override
    public int maxReceiveQueues() {
        return ReceiveScale82574.MAX_QUEUES;
    }

    @Override
    protected void spreadOver(int n) {
        receiveScale.useQueues(n);
    }

    /** RXCSUM as the checksum unit wants it, with PCSD while RSS is on (the hash in the write-back). */
    @Override
    public void programReceiveChecksum(int rxcsum) {
        hw.write(Regs82574.RXCSUM, rxcsum | receiveScale.rxcsumBits());
    }

    @Override
    public void programReceiveScale(NdisReceiveScaleParameters rss, boolean writeNow) {
        receiveScale.accept(rss, writeNow);
    }

    @Override
    public ReceiveHash receiveHash(RxDescriptorRing rx) {
        return new ExtRxHash(rx);
    }

    @Override
    public RingLayout rings() {
        return RINGS;
    }

    /**
     * Step 6 (Linux e1000_init_hw_82571 / e1000_initialize_hw_bits_82571). TXDCTL bit 22 and the GCR/CTRL_EXT
     * errata bits are kept out: QEMU stores them without effect. TARC0 bit 10 must stay set or QEMU never
     * transmits (docs/hardware-reference.md B.7 item 2): Linux clears only bits 30:27.
     */
    @Override
    public void programChipBits() {
        int tarc = hw.read(Regs82574.TARC(0)) & ~0x7800_0000 | Tarc.ENABLE;
        hw.write(Regs82574.TARC(0), tarc);
        hw.takeOwnershipAndClearVlanFilters(Regs82574.CTRL_EXT, E82574Hardware.CTRL_EXT_DRV_LOAD, Regs82574::VFTA,
                Regs82574.MTA_ENTRIES);
    }

    /** Step 7, transmit (Linux e1000_configure_tx): ring, TIPG, TCTL with PSP|RTLC|CT, then EN. */
    @Override
    public void programTransmit(TxDescriptorRing tx) {
        tx.writeRingRegisters();
        hw.write(Regs82574.TIPG, Tipg.DEFAULT);
        hw.write(Regs82574.TIDV, 0);
        hw.write(Regs82574.TADV, 0);
        hw.write(Regs82574.TCTL, Tctl.EN | Tctl.PSP | Tctl.RTLC | Tctl.COLLISION_THRESHOLD << Tctl.CT_SHIFT
                | Tctl.COLLISION_DISTANCE << Tctl.COLD_SHIFT);
    }

    /**
     * Step 8, receive (Linux e1000_setup_rctl / e1000_configure_rx): extended descriptors (RFCTL.EXTEN,
     * docs/hardware-reference.md B.18), MRQC (0, or RSS over the queues when an OID turned it on:
     * {@link IntelReceiveScale#program}), CRC stripped, buffer size for the largest frame, LPE for jumbo,
     * each queue's ring and RDT = count - 1. The 82574L has no per-queue enable (its RXDCTL holds thresholds
     * only; QEMU takes a ring with RDLEN set): a queue runs once its ring is written.
     */
    @Override
    public void programReceive(RxDescriptorRing rx, IntelConfig config) {
        programReceiveQueues(new RxDescriptorRing[] {rx}, config);
    }

    @Override
    public void programReceiveQueues(RxDescriptorRing[] rings, IntelConfig config) {
        hw.write(Regs82574.RFCTL, Rfctl.EXTEN);
        hw.write(Regs82574.RCTL, 0);
        receiveScale.program();
        for (RxDescriptorRing ring : rings) {
            ring.writeRingRegisters();
        }
        rctlBase = Rctl.SECRC | Rctl.RDMTS_HALF | Rctl.bufferSizeBits(config.receiveBufferSize())
                | (config.longPackets() ? Rctl.LPE : 0);
        for (RxDescriptorRing ring : rings) {
            ring.refillFromPool(ring.emptySlots());         // RDT = count - 1: the buffers belong to the device
        }
    }

    /** Interrupt moderation (datasheet 10.2.4.x ITR, 256 ns units); per vector EITR with MSI-X. */
    @Override
    public void programInterruptModeration(boolean moderate) {
        int itr = moderate ? ITR_20K : 0;
        hw.write(Regs82574.ITR, itr);
        for (int v = 0; v < 5; v++) {
            hw.write(Regs82574.EITR(v), itr);
        }
        hw.write(Regs82574.RDTR, 0);
        hw.write(Regs82574.RADV, 0);
    }

    /**
     * IVAR (datasheet 10.2.4.x; Linux e1000_configure_msix): RXQ0 -> 0, TXQ0 -> 1, OTHER -> 2, and with two
     * receive queues RXQ1 -> 3 (docs/hardware-reference.md B.18).
     */
    @Override
    public void routeInterrupts(InterruptMode mode) {
        if (mode == InterruptMode.MSIX) {
            writeIvar();
            imsValue = Icr.RXQ0 | Icr.TXQ0 | Icr.OTHER | Icr.LSC | (queues > 1 ? Icr.RXQ1 : 0);
        } else {
            hw.write(Regs82574.IVAR, 0);
            imsValue = Icr.RXT0 | Icr.RXDMT0 | Icr.RXO | Icr.TXDW | Icr.LSC;
        }
    }

    @Override
    public void rerouteAfterReset(InterruptMode mode) {
        if (mode == InterruptMode.MSIX) {
            writeIvar();
        }
    }

    private void writeIvar() {
        int rxq1 = queues > 1 ? Ivar.entry(Ivar.RXQ1_SHIFT, ReceiveQueuePlan.rxVector(1)) : 0;
        hw.write(Regs82574.IVAR, Ivar.entry(Ivar.RXQ0_SHIFT, VECTOR_RX) | Ivar.entry(Ivar.TXQ0_SHIFT, VECTOR_TX)
                | Ivar.entry(Ivar.OTHER_SHIFT, VECTOR_OTHER) | rxq1);
    }

    @Override
    public void clearStaleCauses() {
        hw.write(Regs82574.ICR, Icr.ALL);                   // MSI-X: write one to clear
        hw.read(Regs82574.ICR);
    }

    @Override
    public void unmaskInterrupts() {
        hw.write(Regs82574.IMS, imsValue);
    }

    @Override
    public void maskInterrupts() {
        hw.write(Regs82574.IMC, Icr.ALL);
    }

    /** LSC, and in MSI-X mode OTHER, which a stuck LSC keeps raising. */
    @Override
    public int maskLinkCause(InterruptMode mode) {
        int stuck = Icr.LSC | (mode == InterruptMode.MSIX ? Icr.OTHER : 0);
        imsValue &= ~stuck;
        hw.write(Regs82574.IMC, stuck);
        return stuck;
    }

    @Override
    public int msixCauses(int messageId) {
        int queue = ReceiveQueuePlan.queueOfVector(messageId, queues);
        int cause = queue == 0 ? Icr.RXQ0 : queue == 1 ? Icr.RXQ1 : messageId == VECTOR_TX ? Icr.TXQ0 : 0;
        if (cause == 0) {
            cause = hw.read(Regs82574.ICR) & ~(Icr.RXQ0 | Icr.RXQ1 | Icr.TXQ0 | Icr.TXQ1 | Icr.INT_ASSERTED);
            cause |= Icr.OTHER;
        }
        hw.write(Regs82574.ICR, cause);                     // write one to clear (MSI-X mode)
        return cause;
    }

    @Override
    public int readIcr() {
        return hw.read(Regs82574.ICR);
    }

    @Override
    public int imsValue() {
        return imsValue;
    }

    @Override
    public int eimsValue() {
        return 0;
    }

    @Override
    public void writeReceiveControl(int packetFilter, boolean enable) {
        hw.write(Regs82574.RCTL, ReceiveControl.rctl(rctlBase, packetFilter, enable));
    }

    /** The 82574L's receiver goes on inside MiniportRestart. */
    @Override
    public long receiverStartDelayNanos() {
        return 0;
    }

    @Override
    public void shutdown() {
        hw.write(Regs82574.IMC, Icr.ALL);
        hw.write(Regs82574.RCTL, 0);
        hw.write(Regs82574.TCTL, 0);
    }
}
