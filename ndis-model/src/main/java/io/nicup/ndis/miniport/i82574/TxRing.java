package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.LegacyTxDescriptor.LOWER_DATA;
import static io.nicup.ndis.miniport.i82574.LegacyTxDescriptor.UPPER_DATA;

import io.nicup.ndis.miniport.intel.QueueRegisters;
import io.nicup.ndis.miniport.intel.TxChecksum;
import io.nicup.ndis.miniport.intel.TxDescriptorRing;
import io.nicup.ndis.miniport.intel.TxLargeSend;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;

/**
 * One transmit queue of the 82574L: a {@link TxDescriptorRing} of {@link LegacyTxDescriptor legacy
 * descriptors} and its tail doorbell. What is the 82574L's own:
 * <ul>
 *   <li>{@code tail} stays {@code < count}: QEMU treats {@code TDT >= count} as an empty ring (docs/hardware-reference.md
 *       B.4).</li>
 *   <li>Every descriptor is submitted with {@link #CMD} ({@code EOP | IFCS | RS}) in {@code lower.cmd} and
 *       {@code upper.data = 0}, which clears {@code status}; QEMU writes DD only with RS (docs/hardware-reference.md B.7
 *       item 1).</li>
 *   <li>{@link #writeRingRegisters()} programs TDBAL/TDBAH, TDLEN, TDH = TDT = 0 (docs/hardware-reference.md B.5 step 7);
 *       call it while the queue is stopped (TCTL.EN clear). {@link #drain} is for when TCTL.EN was
 *       cleared or the device reset.</li>
 * </ul>
 */
public final class TxRing extends TxDescriptorRing {

    /** Command of every descriptor: end of packet, insert FCS, report status. */
    public static final int CMD = LegacyTxDescriptor.CMD_EOP | LegacyTxDescriptor.CMD_IFCS
            | LegacyTxDescriptor.CMD_RS;

    private static final int LOWER_CMD = CMD << LegacyTxDescriptor.LOWER_CMD_SHIFT;
    private static final int LOWER_CMD_MORE = (CMD & ~LegacyTxDescriptor.CMD_EOP) << LegacyTxDescriptor.LOWER_CMD_SHIFT;
    private static final int LENGTH_MASK = LegacyTxDescriptor.MAX_LENGTH;

    /**
     * A ring over the first {@code count * 16} bytes of {@code descriptors}. Nothing is written to the
     * device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * 16} bytes, zeroed
     * @param regs BAR0 of the device (TDT, TDH and the ring base registers of {@code queue})
     * @param queue 0 or 1
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     */
    public TxRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count) {
        super(descriptors, regs, Regs82574.queueChecked(queue), count, QueueRegisters.at(Regs82574.TDBAL(queue)),
                LegacyTxDescriptor.BYTES, LegacyTxDescriptor.MAX_LENGTH, LegacyTxDescriptor.OFFSET_STATUS,
                LegacyTxDescriptor.STA_DD);
    }

    @Override
    protected void writeCommand(MemorySegment ring, long d, int length) {
        LOWER_DATA.set(ring, d, length & LENGTH_MASK | LOWER_CMD);
        UPPER_DATA.set(ring, d, 0);
    }

    /** Extended data descriptor (DEXT, DTYP 0001): the command of {@link #CMD}, the length in DTALEN. */
    private static final int DATA_LOWER = (CMD | LegacyTxDescriptor.CMD_DEXT) << LegacyTxDescriptor.LOWER_CMD_SHIFT
            | LegacyTxDescriptor.DTYP_DATA;
    private static final int DATA_LOWER_MORE = DATA_LOWER & ~(LegacyTxDescriptor.CMD_EOP << LegacyTxDescriptor.LOWER_CMD_SHIFT);

    /**
     * TCP/IP context descriptor (docs/hardware-reference.md B.15): IPCSS/IPCSO/IPCSE and TUCSS/TUCSO/TUCSE in bytes
     * 0-7 (TUCSE 0: to the end of the frame), TUCMD with DEXT, IP for IPv4 and TCP for TCP, DTYP 0000; no RS
     * (Linux {@code e1000_tx_csum} sets none either).
     */
    @Override
    protected void writeContext(MemorySegment ring, long d, int offload) {
        long mac = TxChecksum.macLength(offload);
        long l4 = mac + TxChecksum.ipLength(offload);
        long ip = (offload & TxChecksum.IPV4) == 0 ? 0
                : mac | (mac + LegacyTxDescriptor.IPV4_CHECKSUM) << 8 | (l4 - 1) << 16;
        long tu = l4 << 32 | (long) TxChecksum.l4ChecksumOffset(offload) << 40;
        LegacyTxDescriptor.BUFFER_ADDR.set(ring, d, ip | tu);
        int tucmd = LegacyTxDescriptor.CMD_DEXT | ((offload & TxChecksum.IPV4) != 0 ? LegacyTxDescriptor.TUCMD_IP : 0)
                | ((offload & TxChecksum.TCP) != 0 ? LegacyTxDescriptor.TUCMD_TCP : 0);
        LOWER_DATA.set(ring, d, tucmd << LegacyTxDescriptor.LOWER_CMD_SHIFT);
        UPPER_DATA.set(ring, d, 0);
    }

    /** Extended data descriptor with POPTS.IXSM and POPTS.TXSM (docs/hardware-reference.md B.15). */
    @Override
    protected void writeOffloadCommand(MemorySegment ring, long d, int length, int offload) {
        LOWER_DATA.set(ring, d, length & LENGTH_MASK | DATA_LOWER);
        UPPER_DATA.set(ring, d, popts(offload) << LegacyTxDescriptor.POPTS_SHIFT);       // STA 0: clears DD
    }

    /**
     * TCP/IP context descriptor for a TCP segmentation (docs/hardware-reference.md B.17; Linux {@code e1000_tso}):
     * IPCSS at the IP header (IPCSO and IPCSE only for IPv4), TUCSS at TCP with TUCSO at its checksum and
     * TUCSE 0, TUCMD DEXT|TSE|TCP (and IP for IPv4), PAYLEN, HDRLEN and MSS.
     */
    @Override
    protected void writeSegmentationContext(MemorySegment ring, long d, int offload, int segmentation, int payload) {
        long mac = TxChecksum.macLength(offload);
        long l4 = mac + TxChecksum.ipLength(offload);
        boolean v4 = (offload & TxChecksum.IPV4) != 0;
        long ip = mac | (v4 ? (mac + LegacyTxDescriptor.IPV4_CHECKSUM) << 8 | (l4 - 1) << 16 : 0);
        long tu = l4 << 32 | (l4 + LegacyTxDescriptor.TCP_CHECKSUM) << 40;
        LegacyTxDescriptor.BUFFER_ADDR.set(ring, d, ip | tu);
        int tucmd = LegacyTxDescriptor.CMD_DEXT | LegacyTxDescriptor.TUCMD_TSE | LegacyTxDescriptor.TUCMD_TCP
                | (v4 ? LegacyTxDescriptor.TUCMD_IP : 0);
        LOWER_DATA.set(ring, d, payload & LegacyTxDescriptor.PAYLEN_MASK | tucmd << LegacyTxDescriptor.LOWER_CMD_SHIFT);
        UPPER_DATA.set(ring, d, TxLargeSend.headerLength(offload, segmentation) << LegacyTxDescriptor.HDRLEN_SHIFT
                | TxLargeSend.mss(segmentation) << LegacyTxDescriptor.MSS_SHIFT);
    }

    /** Extended data descriptors with DCMD.TSE, POPTS on the first (docs/hardware-reference.md B.17). */
    @Override
    protected void writeSegmentPiece(MemorySegment ring, long d, int length, int payload, boolean endOfPacket,
            int offload) {
        LOWER_DATA.set(ring, d, length & LENGTH_MASK | (endOfPacket ? DATA_LOWER : DATA_LOWER_MORE) | DATA_TSE);
        UPPER_DATA.set(ring, d, payload == 0 ? 0 : popts(offload) << LegacyTxDescriptor.POPTS_SHIFT);
    }

    private static final int DATA_TSE = LegacyTxDescriptor.DCMD_TSE << LegacyTxDescriptor.LOWER_CMD_SHIFT;

    private static int popts(int offload) {
        return ((offload & TxChecksum.IXSM) != 0 ? LegacyTxDescriptor.POPTS_IXSM : 0)
                | ((offload & TxChecksum.TXSM) != 0 ? LegacyTxDescriptor.POPTS_TXSM : 0);
    }

    /**
     * EOP only on the last piece; IFCS and RS on every one (docs/ndis-contract.md §16.3). A frame that asks for
     * checksum insertion is extended data descriptors throughout, POPTS on the first (docs/hardware-reference.md
     * B.15).
     */
    @Override
    protected void writePiece(MemorySegment ring, long d, int length, int frameLength, boolean endOfPacket,
            int offload) {
        if (offload == 0) {
            LOWER_DATA.set(ring, d, length & LENGTH_MASK | (endOfPacket ? LOWER_CMD : LOWER_CMD_MORE));
            UPPER_DATA.set(ring, d, 0);
            return;
        }
        LOWER_DATA.set(ring, d, length & LENGTH_MASK | (endOfPacket ? DATA_LOWER : DATA_LOWER_MORE));
        UPPER_DATA.set(ring, d, frameLength == 0 ? 0 : popts(offload) << LegacyTxDescriptor.POPTS_SHIFT);
    }
}
