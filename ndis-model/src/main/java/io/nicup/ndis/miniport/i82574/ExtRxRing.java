package io.nicup.ndis.miniport.i82574;

import static io.nicup.ndis.miniport.i82574.ExtRxDescriptor.SHIFT;
import static io.nicup.ndis.miniport.i82574.ExtRxDescriptor.STATUS_ERROR;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.intel.QueueRegisters;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One receive queue of the 82574L in {@link ExtRxDescriptor extended descriptors} (RFCTL.EXTEN set), the
 * format the driver runs in: the one whose write-back carries the RSS hash (docs/hardware-reference.md
 * B.18). As {@link RxRing} otherwise: the same registers, RCTL.BSIZE for the buffer size.
 * <ul>
 *   <li>{@link #refill} writes {@code buffer_addr} and zeroes the second quadword, where the device writes
 *       {@code status_error} (DD in bit 0) and the length back.</li>
 *   <li>The flags' {@code status} is {@code status_error} bits 7:0, their {@code errors} bits 31:24, the
 *       same values as the legacy descriptor's bytes; {@link #FAULT_ERRORS} is one of
 *       {@link LegacyRxDescriptor#ERR_FRAME}.</li>
 * </ul>
 */
public final class ExtRxRing extends RxDescriptorRing {

    /**
     * A ring over the first {@code count * 16} bytes of {@code descriptors}, with buffers from {@code pool}.
     *
     * @param queue 0 or 1
     * @see RxRing#RxRing
     */
    public ExtRxRing(DmaRegion descriptors, RegisterSpace regs, int queue, int count, PacketBufferPool pool) {
        super(descriptors, regs, Regs82574.queueChecked(queue), count, QueueRegisters.at(Regs82574.RDBAL(queue)),
                ExtRxDescriptor.BYTES, pool, ExtRxDescriptor.OFFSET_STATUS_ERROR, LegacyRxDescriptor.STA_DD,
                ExtRxDescriptor.OFFSET_LENGTH);
    }

    @Override
    protected int writtenBackFlags(MemorySegment ring, int slot) {
        int statusError = (int) STATUS_ERROR.get(ring, (long) slot << SHIFT);
        int errors = statusError >>> ExtRxDescriptor.ERRORS_SHIFT;
        return flags(statusError & 0xFF, errors, (errors & LegacyRxDescriptor.ERR_FRAME) != 0);
    }

    /** The whole upper quadword: a write-back of the legacy format (before RFCTL.EXTEN) leaves no stale DD. */
    @Override
    protected void clearWriteBack(MemorySegment ring, long d) {
        ring.set(ValueLayout.JAVA_LONG, d + ExtRxDescriptor.OFFSET_STATUS_ERROR, 0L);
    }

    /** Nothing: the 82574L's buffer size is RCTL.BSIZE, for all queues, which the adapter writes. */
    @Override
    protected void writeBufferSize(RegisterSpace regs, int queue, int bufferSize) {
    }
}
