package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.LegacyRxDescriptor.ERRORS;
import static io.nicup.ndis.miniport.i82574.LegacyRxDescriptor.SHIFT;
import static io.nicup.ndis.miniport.i82574.LegacyRxDescriptor.STATUS;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.intel.QueueRegisters;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;

/**
 * One receive queue of the 82574L: an {@link RxDescriptorRing} of {@link LegacyRxDescriptor legacy
 * descriptors}, each holding a buffer of a {@link PacketBufferPool}, and its tail doorbell. What is the
 * 82574L's own:
 * <ul>
 *   <li>{@link #writeRingRegisters()} programs RDBAL/RDBAH, RDLEN, RDH = RDT = 0 (docs/hardware-reference.md B.5 step 8);
 *       call it while the receiver is off (RCTL.EN clear). A freshly written ring is filled with
 *       {@code refill} of {@code count - 1} buffers, which writes RDT = count - 1 (docs/hardware-reference.md B.5 step 8).
 *       {@link #drain} is for when RCTL.EN was cleared or the device reset.</li>
 *   <li>{@link #refill} writes {@code buffer_addr} and clears {@code status} before the slot is handed
 *       back.</li>
 *   <li>The flags' {@code status} and {@code errors} are the descriptor's {@code status} and
 *       {@code errors} bytes; {@link #FAULT_ERRORS} is one of the frame errors
 *       {@link LegacyRxDescriptor#ERR_FRAME}.</li>
 * </ul>
 *
 * <p>The RCTL buffer size must equal the pool's buffer size ({@link Rctl#bufferSizeBits}): the 82574L has
 * no per-queue buffer-size register.
 */
public final class RxRing extends RxDescriptorRing {

    /**
     * A ring over the first {@code count * 16} bytes of {@code descriptors}, with buffers from {@code pool}.
     * Nothing is written to the device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * 16} bytes, zeroed
     * @param regs BAR0 of the device (RDT, RDH and the ring base registers of {@code queue})
     * @param queue 0 or 1
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     * @param pool where the buffers given to {@link #refill} come from
     */
    public RxRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count, PacketBufferPool pool) {
        super(descriptors, regs, Regs82574.queueChecked(queue), count, QueueRegisters.at(Regs82574.RDBAL(queue)),
                LegacyRxDescriptor.BYTES, pool, LegacyRxDescriptor.OFFSET_STATUS, LegacyRxDescriptor.STA_DD,
                LegacyRxDescriptor.OFFSET_LENGTH);
    }

    @Override
    protected int writtenBackFlags(MemorySegment ring, int slot) {
        long d = (long) slot << SHIFT;
        int status = (byte) STATUS.get(ring, d) & 0xFF;
        int errors = (byte) ERRORS.get(ring, d) & 0xFF;
        return flags(status, errors, (errors & LegacyRxDescriptor.ERR_FRAME) != 0);
    }

    @Override
    protected void clearWriteBack(MemorySegment ring, long d) {
        STATUS.set(ring, d, (byte) 0);
    }

    /** Nothing: the 82574L's buffer size is RCTL.BSIZE, for all queues, which the adapter writes. */
    @Override
    protected void writeBufferSize(RegisterSpace regs, int queue, int bufferSize) {
    }
}
