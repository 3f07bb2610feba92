package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.miniport.core.OffloadCapabilities;
import io.nicup.ndis.miniport.intel.ReceiveHash;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import static io.nicup.ndis.miniport.intel.IntelAdapter.VECTOR_OTHER;
import static io.nicup.ndis.miniport.intel.IntelAdapter.VECTOR_RX;
import static io.nicup.ndis.miniport.intel.IntelAdapter.VECTOR_TX;

import io.nicup.ndis.miniport.intel.IntelChipBase;
import io.nicup.ndis.miniport.intel.IntelConfig;
import io.nicup.ndis.miniport.intel.FlowControl;
import io.nicup.ndis.miniport.intel.IdLed;
import io.nicup.ndis.miniport.intel.IntelChecksum;
import io.nicup.ndis.miniport.intel.TxLargeSend;
import io.nicup.ndis.miniport.intel.NvmException;
import io.nicup.ndis.miniport.intel.NvmVersions;
import io.nicup.ndis.miniport.intel.ReceiveControl;
import io.nicup.ndis.miniport.intel.ReceiveQueuePlan;
import io.nicup.ndis.miniport.intel.RingLayout;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.ndis.miniport.intel.TxDescriptorRing;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterSpace;
import io.nicup.vfio.RegisterTimeoutException;

/**
 * The 82576's steps of the Intel adapter's initialization (datasheet 4.5 "Software Initialization and
 * Diagnostics"; Linux igb {@code igb_reset_hw_82575}, {@code igb_init_hw_82575}, {@code igb_configure}):
 * advanced descriptors, per-queue RXDCTL/TXDCTL.ENABLE, SRRCTL and RLPML, the receiver enabled only after
 * Restart, and the 82576's interrupt scheme.
 *
 * <h2>Interrupts</h2>
 * MSI-X (GPIE.MSIX_MODE | NSICR | PBA): receive and transmit queue 0 through IVAR0, receive queue q through
 * IVAR[q mod 8] on its own vector ({@link ReceiveQueuePlan#rxVector}), the ICR causes (link) through
 * IVAR_MISC; EIAC clears the queue vectors' EICR bits on delivery; the "other" ISR reads ICR (NSICR: clear
 * on read) and writes its EICR bit. MSI and INTx (GPIE 0): one vector, ICR clears on read, one receive queue.
 *
 * <h2>Receive queues</h2>
 * Up to {@link ReceiveScale82576#MAX_QUEUES} (one MSI-X message each, docs/hardware-reference.md B.16): each
 * has its ring, SRRCTL and RXDCTL.ENABLE, programmed as queue 0 is (Linux igb_configure_rx_ring per ring).
 */
public final class Chip82576 extends IntelChipBase<E82576Hardware> {

    /** The advanced descriptor layout, one ring class per direction. */
    private static final RingLayout RINGS =
            new RingLayout(AdvTxDescriptor.BYTES, AdvRxDescriptor.BYTES, AdvTxRing::new, AdvRxRing::new);

    /** How long after MiniportRestart returns the receiver is enabled (RCTL.EN): see IntelAdapter. */
    static final long RX_START_DELAY_NANOS = 1_000_000L;
    /** EITR interval for 20000 interrupts/s (Linux igb {@code IGB_20K_ITR}; QEMU counts it in 256 ns units). */
    static final int EITR_20K = 196;
    /** The EICR/EIMS bits of the three MSI-X vectors of a single-queue adapter. */
    static final int EIMS_ALL = 1 << VECTOR_RX | 1 << VECTOR_TX | 1 << VECTOR_OTHER;

    private final ReceiveScale82576 receiveScale;
    private int rctlBase;
    private int imsValue;
    /** EIMS while running (MSI-X only). */
    private int eimsValue;

    public Chip82576(RegisterSpace regs, DeviceClock clock) {
        super(new E82576Hardware(regs, clock));
        this.receiveScale = new ReceiveScale82576(hw);
    }

    /**
     * Reset (Linux igb_reset_hw_82575, igb_phy_hw_reset, igb_validate_nvm_checksum): quiesce, CTRL.RST and
     * the NVM auto-read, PHY reset until the PHY answers, then the NVM checksum.
     */
    @Override
    public int resetAndSumNvm() {
        hw.quiesce();
        hw.reset();
        hw.resetPhy();
        try {
            return hw.nvmChecksum();
        } catch (RegisterTimeoutException e) {
            if (hw.autoReadDone()) {
                throw e;
            }
            // Linux only logs a missing AUTO_RD; an NVM that EERD cannot read either is the real failure.
            throw new NvmException("NVM auto-read did not complete: EECD.AUTO_RD not set within "
                    + E82576Hardware.AUTO_READ_TIMEOUT_NANOS / 1_000_000 + " ms of CTRL.RST, and the NVM is not readable ("
                    + e.getMessage() + ")");
        }
    }

    /** igb ({@code igb_get_fw_version}, {@code igb_set_fw_version}; docs/hardware-reference.md B.12). */
    @Override
    public String firmwareVersion(java.util.function.IntUnaryOperator nvmWord) {
        return NvmVersions.igb(nvmWord);
    }

    /**
     * igb (docs/hardware-reference.md B.13): the ID LED settings of NVM word 4, 0x0000 and 0xFFFF read as
     * {@code ID_LED_DEFAULT} on copper ({@code igb_valid_led_default}); {@code igb_set_phys_id} returns 2,
     * so identification switches between blinking and off 4 times a second.
     */
    @Override
    public IdLed identification() {
        int word = hw.readNvm(ID_LED_SETTINGS_WORD);
        return new IdLed(hw, Regs82576.LEDCTL, word == 0x0000 || word == 0xFFFF ? IdLed.DEFAULT : word, 4);
    }

    /**
     * Linux {@code igb_reset}: pause time 0xFFFF, the high watermark two frames below RXPBS (at most 90 %),
     * 16-byte granularity (docs/hardware-reference.md B.14).
     */
    @Override
    public FlowControl.Profile flowControl() {
        return new FlowControl.Profile(Regs82576.CTRL, 0xFFFF, 16, 2, () -> hw.read(Regs82576.RXPBS) & 0x7F);
    }

    /** NVM word with the ID LED settings. */
    static final int ID_LED_SETTINGS_WORD = 0x04;

    /**
     * Checksum offload both ways (docs/hardware-reference.md B.15): advanced context and data descriptors
     * on transmit, RXCSUM verdicts in the advanced receive write-back. Receive behind IPv6 extension
     * headers is not declared: not confirmed for the 82576. LSOv2 for IPv4 and IPv6 (docs/hardware-reference.md B.17).
     * RSS over the one receive queue the driver runs ({@link ReceiveScale82576}, docs/hardware-reference.md B.16).
     */
    @Override
    public OffloadCapabilities offloadCapabilities() {
        return TxLargeSend.withLargeSend(new OffloadCapabilities(IntelChecksum.capabilities(false).hardware(),
                ReceiveScale82576.capabilities(queues)));
    }

    @Override
    public int maxReceiveQueues() {
        return ReceiveScale82576.MAX_QUEUES;
    }

    @Override
    protected void spreadOver(int n) {
        receiveScale.useQueues(n);
    }

    /** RXCSUM as the checksum unit wants it, with PCSD while RSS is on (the hash in the write-back). */
    @Override
    public void programReceiveChecksum(int rxcsum) {
        hw.write(Regs82576.RXCSUM, rxcsum | receiveScale.rxcsumBits());
    }

    @Override
    public void programReceiveScale(NdisReceiveScaleParameters rss, boolean writeNow) {
        receiveScale.accept(rss, writeNow);
    }

    @Override
    public ReceiveHash receiveHash(RxDescriptorRing rx) {
        return new AdvRxHash(rx);
    }

    @Override
    public RingLayout rings() {
        return RINGS;
    }

    /** Driver ownership and the VLAN filter table (Linux igb_init_hw_82575). */
    @Override
    public void programChipBits() {
        hw.takeOwnershipAndClearVlanFilters(Regs82576.CTRL_EXT, E82576Hardware.CTRL_EXT_DRV_LOAD, Regs82576::VFTA,
                Regs82576.MTA_ENTRIES);
    }

    /**
     * Transmit (datasheet 4.5.10; Linux igb_configure_tx / igb_configure_tx_ring): queue disabled, ring, no
     * head write-back, TCTL with PSP | RTLC | CT | COLD, then TXDCTL.ENABLE, polled until it reads back.
     */
    @Override
    public void programTransmit(TxDescriptorRing tx) {
        hw.disableQueue("TXDCTL0", Regs82576.TXDCTL(0));
        tx.writeRingRegisters();
        hw.write(Regs82576.TDWBAL(0), 0);
        hw.write(Regs82576.TDWBAH(0), 0);
        hw.write(Regs82576.TCTL, Tctl.EN | Tctl.PSP | Tctl.RTLC | Tctl.COLLISION_THRESHOLD << Tctl.CT_SHIFT
                | Tctl.COLLISION_DISTANCE << Tctl.COLD_SHIFT);
        hw.enableQueue("TXDCTL0", Regs82576.TXDCTL(0), Txdctl.THRESHOLDS);
    }

    /**
     * Receive (datasheet 4.5.9; Linux igb_setup_rctl / igb_configure_rx_ring per ring): receiver off, MRQC (0,
     * or RSS over the queues when an OID turned it on: {@link ReceiveScale82576#program}), each queue disabled
     * with its ring and SRRCTL (one-buffer advanced descriptors of the buffer size), RLPML for the largest
     * frame (LPE is always on, as in Linux), each RXDCTL.ENABLE polled, and only then its RDT = count - 1.
     */
    @Override
    public void programReceive(RxDescriptorRing rx, IntelConfig config) {
        programReceiveQueues(new RxDescriptorRing[] {rx}, config);
    }

    @Override
    public void programReceiveQueues(RxDescriptorRing[] rings, IntelConfig config) {
        hw.write(Regs82576.RCTL, 0);
        receiveScale.program();
        hw.write(Regs82576.RXCSUM, 0);
        for (int q = 0; q < rings.length; q++) {
            hw.disableQueue("RXDCTL" + q, Regs82576.RXDCTL(q));
            rings[q].writeRingRegisters();
        }
        hw.write(Regs82576.RLPML, config.rlpml());
        rctlBase = Rctl.SECRC | Rctl.LPE;
        for (int q = 0; q < rings.length; q++) {
            hw.enableQueue("RXDCTL" + q, Regs82576.RXDCTL(q), Rxdctl.THRESHOLDS);
            rings[q].refillFromPool(rings[q].emptySlots());   // RDT = count - 1: the buffers belong to the device
        }
    }

    /** EITR per vector (in non-MSI-X mode EITR0 throttles the one interrupt). */
    @Override
    public void programInterruptModeration(boolean moderate) {
        int itr = moderate ? EITR_20K : 0;
        for (int v = 0; v < ReceiveQueuePlan.messages(queues); v++) {
            hw.write(Regs82576.EITR(v), itr);
        }
    }

    /** Interrupt routing for the mode in use: GPIE, IVAR, IVAR_MISC and EIAC (MSI-X) or none. */
    @Override
    public void routeInterrupts(InterruptMode mode) {
        if (mode == InterruptMode.MSIX) {
            // Linux igb_configure_msix / igb_assign_vector (e1000_82576), with our vector numbers.
            hw.write(Regs82576.GPIE, Gpie.MSIX_MODE | Gpie.NSICR | Gpie.PBA);
            int[] ivar = new int[8];
            int queueVectors = 1 << VECTOR_TX;
            ivar[0] = Ivar.entry(Ivar.txShift(0), VECTOR_TX);
            for (int q = 0; q < queues; q++) {
                int vector = ReceiveQueuePlan.rxVector(q);
                ivar[q & 7] |= Ivar.entry(Ivar.rxShift(q), vector);
                queueVectors |= 1 << vector;
            }
            for (int n = 0; n < (queues > 1 ? ivar.length : 1); n++) {
                hw.write(Ivar.register(n), ivar[n]);
            }
            hw.write(Regs82576.IVAR_MISC, Ivar.misc(VECTOR_OTHER));
            hw.write(Regs82576.EIAC, queueVectors);
            imsValue = Icr.LSC;
            eimsValue = queueVectors | 1 << VECTOR_OTHER;
        } else {
            hw.write(Regs82576.GPIE, 0);
            for (int n = 0; n < (queues > 1 ? 8 : 1); n++) {
                hw.write(Ivar.register(n), 0);
            }
            hw.write(Regs82576.IVAR_MISC, 0);
            imsValue = Icr.RXDW | Icr.RXDMT0 | Icr.RXO | Icr.TXDW | Icr.LSC;
            eimsValue = 0;
        }
    }

    /** CTRL.RST cleared GPIE and the IVARs: the routing is written again. */
    @Override
    public void rerouteAfterReset(InterruptMode mode) {
        if (mode != null) {
            routeInterrupts(mode);
        }
    }

    @Override
    public void clearStaleCauses() {
        hw.write(Regs82576.ICR, Icr.ALL);                   // write one to clear, and read
        hw.read(Regs82576.ICR);
        hw.write(Regs82576.EICR, ~0);
    }

    @Override
    public void unmaskInterrupts() {
        hw.write(Regs82576.IMS, imsValue);
        if (eimsValue != 0) {
            hw.write(Regs82576.EIMS, eimsValue);
        }
    }

    @Override
    public void maskInterrupts() {
        hw.write(Regs82576.IMC, Icr.ALL);
        hw.write(Regs82576.EIMC, ~0);
    }

    /** LSC only: in MSI-X mode the other-causes vector keeps its EIMS bit. */
    @Override
    public int maskLinkCause(InterruptMode mode) {
        imsValue &= ~Icr.LSC;
        hw.write(Regs82576.IMC, Icr.LSC);
        return Icr.LSC;
    }

    /** The queue vectors' EICR bits were cleared by EIAC; the other vector reads ICR and clears its EICR bit. */
    @Override
    public int msixCauses(int messageId) {
        if (messageId != VECTOR_OTHER) {
            return 0;
        }
        int icr = hw.read(Regs82576.ICR) & ~Icr.INT_ASSERTED;   // GPIE.NSICR: clears on read
        hw.write(Regs82576.EICR, 1 << VECTOR_OTHER);           // not in EIAC: write one to clear
        return icr;
    }

    @Override
    public int readIcr() {
        return hw.read(Regs82576.ICR);
    }

    @Override
    public int imsValue() {
        return imsValue;
    }

    @Override
    public int eimsValue() {
        return eimsValue;
    }

    @Override
    public void writeReceiveControl(int packetFilter, boolean enable) {
        hw.write(Regs82576.RCTL, ReceiveControl.rctl(rctlBase, packetFilter, enable));
    }

    @Override
    public long receiverStartDelayNanos() {
        return RX_START_DELAY_NANOS;
    }

    @Override
    public void shutdown() {
        hw.write(Regs82576.IMC, Icr.ALL);
        hw.write(Regs82576.EIMC, ~0);
        hw.write(Regs82576.RCTL, 0);
        hw.write(Regs82576.TCTL, 0);
        for (int q = 0; q < queues; q++) {
            hw.write(Regs82576.RXDCTL(q), 0);
        }
        hw.write(Regs82576.TXDCTL(0), 0);
    }
}
