package io.nicup.ndis.miniport.i82576;

import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.HDR_ADDR;
import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.SHIFT;
import static io.nicup.ndis.miniport.i82576.AdvRxDescriptor.STATUS_ERROR;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.intel.QueueRegisters;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;

/**
 * One receive queue of the 82576: an {@link RxDescriptorRing} of {@link AdvRxDescriptor advanced
 * one-buffer descriptors} (SRRCTL.DESCTYPE = 001), each holding a buffer of a {@link PacketBufferPool},
 * and its tail doorbell: the 82574L's {@code RxRing} with the 82576's descriptor format and registers.
 * What is the 82576's own:
 * <ul>
 *   <li>{@link #writeRingRegisters()} programs RDBAL/RDBAH, RDLEN, SRRCTL (one-buffer advanced descriptors
 *       of the pool's buffer size), RDH = RDT = 0 (datasheet 4.5.9 "Receive Initialization"). Call it
 *       while the queue is disabled (RXDCTL.ENABLE clear); enable it, then fill the ring with
 *       {@code refill} of {@code count - 1} buffers, which writes RDT = count - 1, after RXDCTL.ENABLE
 *       reads back as set (datasheet 4.5.9: the tail must not be bumped before). {@link #drain} is for
 *       when RXDCTL.ENABLE was cleared or the device reset.</li>
 *   <li>{@link #refill} writes {@code pkt_addr} and {@code hdr_addr = 0}, which clears
 *       {@code status_error} (it overlays {@code hdr_addr}), before the slot is handed back.</li>
 *   <li>The flags' {@code status} is {@code status_error} bits 7:0 and their {@code errors} are
 *       {@code status_error} bits 31:24; {@link #FAULT_ERRORS} is one of the frame errors
 *       {@link AdvRxDescriptor#ERR_FRAME}.</li>
 * </ul>
 *
 * <p>SRRCTL.BSIZEPKT must equal the pool's buffer size ({@link Srrctl#oneBuffer}).
 */
public final class AdvRxRing extends RxDescriptorRing {

    /**
     * A ring over the first {@code count * 16} bytes of {@code descriptors}, with buffers from {@code pool}.
     * Nothing is written to the device until {@link #writeRingRegisters()}.
     *
     * @param descriptors ring memory: 128-byte aligned IOVA, at least {@code count * 16} bytes, zeroed
     * @param regs BAR0 of the device (RDT, RDH and the ring base registers of {@code queue})
     * @param queue 0..15
     * @param count descriptors, a power of two from {@value #MIN_DESCRIPTORS} to {@value #MAX_DESCRIPTORS}
     * @param pool where the buffers given to {@link #refill} come from
     */
    public AdvRxRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count, PacketBufferPool pool) {
        super(descriptors, regs, Regs82576.queueChecked(queue), count, QueueRegisters.at(Regs82576.RDBAL(queue)),
                AdvRxDescriptor.BYTES, pool, AdvRxDescriptor.OFFSET_STATUS_ERROR, AdvRxDescriptor.STAT_DD,
                AdvRxDescriptor.OFFSET_LENGTH);
    }

    @Override
    protected int writtenBackFlags(MemorySegment ring, int slot) {
        int statusError = (int) STATUS_ERROR.get(ring, (long) slot << SHIFT);
        int status = statusError & 0xFF;
        int errors = statusError >>> 24;
        return flags(status, errors, (statusError & AdvRxDescriptor.ERR_FRAME) != 0);
    }

    @Override
    protected void clearWriteBack(MemorySegment ring, long d) {
        HDR_ADDR.set(ring, d, 0L);                       // no header split; clears status_error
    }

    /** SRRCTL: one-buffer advanced descriptors of the pool's buffer size (datasheet 4.5.9). */
    @Override
    protected void writeBufferSize(RegisterSpace regs, int queue, int bufferSize) {
        regs.write32(Regs82576.SRRCTL(queue), Srrctl.oneBuffer(bufferSize));
    }
}
