package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.miniport.i82576.AdvTxDescriptor.CMD_TYPE_LEN;
import static io.nicup.ndis.miniport.i82576.AdvTxDescriptor.OLINFO_STATUS;

import io.nicup.ndis.miniport.intel.QueueRegisters;
import io.nicup.ndis.miniport.intel.TxChecksum;
import io.nicup.ndis.miniport.intel.TxDescriptorRing;
import io.nicup.ndis.miniport.intel.TxLargeSend;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;

/**
 * One transmit queue of the 82576: a {@link TxDescriptorRing} of {@link AdvTxDescriptor advanced data
 * descriptors} and its tail doorbell (the 82574L's {@code TxRing} with the 82576's descriptor format and
 * registers). What is the 82576's own:
 * <ul>
 *   <li>{@code tail} stays {@code < count}: QEMU's {@code igb_ring_empty} treats {@code TDT >= count} as
 *       an empty ring.</li>
 *   <li>Every descriptor is an advanced data descriptor ({@code DEXT}, {@code DTYP = 0011}) with
 *       {@code EOP | IFCS | RS} and {@code PAYLEN} = the frame length: one descriptor per frame, CRC
 *       inserted by the device, and a DD write-back for every descriptor (QEMU's
 *       {@code igb_txdesc_writeback} writes DD only with RS).</li>
 *   <li>{@link #writeRingRegisters()} programs TDBAL/TDBAH, TDLEN, TDH = TDT = 0 (datasheet 4.5.10
 *       "Transmit Initialization"); call it while the queue is stopped (TXDCTL.ENABLE clear).
 *       {@link #drain} is for when TXDCTL.ENABLE was cleared or the device reset.</li>
 * </ul>
 */
public final class AdvTxRing extends TxDescriptorRing {

    /** Command and type of every descriptor: advanced data, end of packet, insert FCS, report status. */
    public static final int CMD = AdvTxDescriptor.DTYP_DATA | AdvTxDescriptor.DCMD_DEXT | AdvTxDescriptor.DCMD_EOP
            | AdvTxDescriptor.DCMD_IFCS | AdvTxDescriptor.DCMD_RS;

    private static final int LENGTH_MASK = AdvTxDescriptor.DTALEN_MASK;

    /**
     * A ring over the first {@code count * 16} bytes of {@code descriptors}. Nothing is written to the
     * device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * 16} bytes, zeroed
     * @param regs BAR0 of the device (TDT, TDH and the ring base registers of {@code queue})
     * @param queue 0..15
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     */
    public AdvTxRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count) {
        super(descriptors, regs, Regs82576.queueChecked(queue), count, QueueRegisters.at(Regs82576.TDBAL(queue)),
                AdvTxDescriptor.BYTES, AdvTxDescriptor.DTALEN_MASK, AdvTxDescriptor.OFFSET_WB_STATUS,
                AdvTxDescriptor.STA_DD);
    }

    @Override
    protected void writeCommand(MemorySegment ring, long d, int length) {
        CMD_TYPE_LEN.set(ring, d, length & LENGTH_MASK | CMD);
        OLINFO_STATUS.set(ring, d, length << AdvTxDescriptor.PAYLEN_SHIFT);   // also clears DD
    }

    /**
     * Advanced context descriptor (docs/hardware-reference.md B.15): VLAN_MACIP_LENS = MACLEN and IPLEN, TUCMD.IPV4
     * and L4T (TCP, else UDP), DTYP 0010, DEXT; context index 0 (IDX in mss_l4len_idx); no RS (Linux
     * {@code igb_tx_ctxtdesc} sets none).
     */
    @Override
    protected void writeContext(MemorySegment ring, long d, int offload) {
        AdvTxDescriptor.BUFFER_ADDR.set(ring, d, (long) (offload & AdvTxDescriptor.MACIP_LENS_MASK));
        int tucmd = ((offload & TxChecksum.IPV4) != 0 ? AdvTxDescriptor.TUCMD_IPV4 : 0)
                | ((offload & TxChecksum.TCP) != 0 ? AdvTxDescriptor.TUCMD_L4T_TCP : 0);
        CMD_TYPE_LEN.set(ring, d, AdvTxDescriptor.DCMD_DEXT | AdvTxDescriptor.DTYP_CTXT | tucmd);
        OLINFO_STATUS.set(ring, d, 0);                                         // IDX 0, no MSS, no L4LEN
    }

    /** Advanced data descriptor with POPTS.IXSM and POPTS.TXSM, IDX 0 (docs/hardware-reference.md B.15). */
    @Override
    protected void writeOffloadCommand(MemorySegment ring, long d, int length, int offload) {
        CMD_TYPE_LEN.set(ring, d, length & LENGTH_MASK | CMD);
        OLINFO_STATUS.set(ring, d, length << AdvTxDescriptor.PAYLEN_SHIFT | popts(offload));
    }

    /**
     * Advanced context descriptor for a TCP segmentation (docs/hardware-reference.md B.17; Linux {@code igb_tso}):
     * MACLEN and IPLEN, TUCMD.IPV4 for IPv4 and L4T TCP, MSS and L4LEN in mss_l4len_idx, IDX 0.
     */
    @Override
    protected void writeSegmentationContext(MemorySegment ring, long d, int offload, int segmentation, int payload) {
        AdvTxDescriptor.BUFFER_ADDR.set(ring, d, (long) (offload & AdvTxDescriptor.MACIP_LENS_MASK));
        int tucmd = ((offload & TxChecksum.IPV4) != 0 ? AdvTxDescriptor.TUCMD_IPV4 : 0) | AdvTxDescriptor.TUCMD_L4T_TCP;
        CMD_TYPE_LEN.set(ring, d, AdvTxDescriptor.DCMD_DEXT | AdvTxDescriptor.DTYP_CTXT | tucmd);
        OLINFO_STATUS.set(ring, d, TxLargeSend.l4Length(segmentation) << AdvTxDescriptor.L4LEN_SHIFT
                | TxLargeSend.mss(segmentation) << AdvTxDescriptor.MSS_SHIFT);
    }

    /** Advanced data descriptors with DCMD.TSE; PAYLEN (the TCP payload) and POPTS in the first. */
    @Override
    protected void writeSegmentPiece(MemorySegment ring, long d, int length, int payload, boolean endOfPacket,
            int offload) {
        int cmd = (endOfPacket ? CMD : CMD & ~AdvTxDescriptor.DCMD_EOP) | AdvTxDescriptor.DCMD_TSE;
        CMD_TYPE_LEN.set(ring, d, length & LENGTH_MASK | cmd);
        OLINFO_STATUS.set(ring, d, payload == 0 ? 0 : payload << AdvTxDescriptor.PAYLEN_SHIFT | popts(offload));
    }

    private static int popts(int offload) {
        return ((offload & TxChecksum.IXSM) != 0 ? AdvTxDescriptor.POPTS_IXSM : 0)
                | ((offload & TxChecksum.TXSM) != 0 ? AdvTxDescriptor.POPTS_TXSM : 0);
    }

    /**
     * EOP only on the last piece, PAYLEN (the whole frame) and a checksum request's POPTS only in the first,
     * as igb_tx_map writes them; IFCS and RS on every piece (docs/ndis-contract.md §16.3, docs/hardware-reference.md
     * B.15).
     */
    @Override
    protected void writePiece(MemorySegment ring, long d, int length, int frameLength, boolean endOfPacket,
            int offload) {
        CMD_TYPE_LEN.set(ring, d, length & LENGTH_MASK | (endOfPacket ? CMD : CMD & ~AdvTxDescriptor.DCMD_EOP));
        OLINFO_STATUS.set(ring, d, frameLength == 0 ? 0 : frameLength << AdvTxDescriptor.PAYLEN_SHIFT | popts(offload));
    }
}
