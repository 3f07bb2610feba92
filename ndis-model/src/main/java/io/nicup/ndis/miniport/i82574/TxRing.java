package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.LegacyTxDescriptor.LOWER_DATA;
import static io.nicup.ndis.miniport.i82574.LegacyTxDescriptor.UPPER_DATA;

import io.nicup.ndis.miniport.intel.QueueRegisters;
import io.nicup.ndis.miniport.intel.TxDescriptorRing;
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

    /** EOP only on the last piece; IFCS and RS on every one (docs/ndis-contract.md §16.3). */
    @Override
    protected void writePiece(MemorySegment ring, long d, int length, int frameLength, boolean endOfPacket) {
        LOWER_DATA.set(ring, d, length & LENGTH_MASK | (endOfPacket ? LOWER_CMD : LOWER_CMD_MORE));
        UPPER_DATA.set(ring, d, 0);
    }
}
