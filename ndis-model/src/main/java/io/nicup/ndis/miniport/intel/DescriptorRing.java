package io.nicup.ndis.miniport.intel;

import io.nicup.vfio.DmaRegion;
import io.nicup.vfio.RegisterSpace;
import java.lang.foreign.MemorySegment;

/**
 * What a {@link TxDescriptorRing} and an {@link RxDescriptorRing} have in common: the descriptor memory
 * (checked by {@link RingGeometry}), the queue's ring registers and how the ring is programmed into them
 * (base address, length in bytes, head = tail = 0). The fields the fast paths read are final and
 * package-private, so the two ring classes read them directly.
 */
public abstract class DescriptorRing {

    /** Smallest ring accepted. */
    public static final int MIN_DESCRIPTORS = RingGeometry.MIN_DESCRIPTORS;
    /** Largest ring accepted. */
    public static final int MAX_DESCRIPTORS = RingGeometry.MAX_DESCRIPTORS;

    final MemorySegment ring;
    final RegisterSpace regs;
    /** The tail doorbell (TDT/RDT). */
    final long tailRegister;
    final int queue;
    final int count;
    final int mask;
    private final QueueRegisters registers;
    private final int descriptorBytes;
    private final long ringIova;
    private final String purpose;
    /**
     * Write-backs the device made into the slot at the tail, which the driver never handed over (see
     * {@link #unsubmittedWriteBacks()}). Written by the ring's one owner; CheckForHang reads it.
     */
    long unsubmittedWriteBacks;

    DescriptorRing(String name, DmaRegion descriptors, RegisterSpace regs, int queue, int count,
            QueueRegisters registers, int descriptorBytes) {
        this.queue = queue;
        this.count = RingGeometry.checkCount(name, count);
        this.ring = RingGeometry.ringSegment(name, descriptors, count, descriptorBytes);
        this.regs = regs;
        this.registers = registers;
        this.tailRegister = registers.tail();
        this.ringIova = descriptors.iova();
        this.purpose = descriptors.purpose();
        this.mask = count - 1;
        this.descriptorBytes = descriptorBytes;
    }

    /** Zeroes every descriptor and writes the ring's base address (xDBAL/xDBAH) and length (xDLEN). */
    final void writeBaseAndLength() {
        ring.fill((byte) 0);
        regs.write32(registers.baseLow(), (int) ringIova);
        regs.write32(registers.baseHigh(), (int) (ringIova >>> 32));
        regs.write32(registers.length(), count * descriptorBytes);
    }

    /** Head = tail = 0: an empty ring to the device. */
    final void writeHeadAndTail() {
        regs.write32(registers.head(), 0);
        regs.write32(tailRegister, 0);
    }

    /** The DMA region's purpose, for {@code toString}. */
    final String purpose() {
        return purpose;
    }

    /** Reads the head register (TDH/RDH) from the device (an MMIO read: for diagnostics, not for the fast path). */
    public final int hardwareHead() {
        return regs.read32(registers.head());
    }

    /**
     * How often the device wrote DD into the descriptor at the tail, which the driver never handed over:
     * a device that runs past the tail writes there first. Each is counted once (the ring clears that
     * DD); CheckForHang resets the adapter when the count grows ({@link RingConsistency}).
     */
    public final long unsubmittedWriteBacks() {
        return unsubmittedWriteBacks;
    }

    /** Whether {@code head}, as the device reports it, names a descriptor of this ring. */
    public final boolean insideRing(int head) {
        return Integer.compareUnsigned(head, count) < 0;
    }

    /** Descriptors in the ring. */
    public final int count() {
        return count;
    }

    public final int queue() {
        return queue;
    }

    /** Device address of the ring (TDBAL/TDBAH, RDBAL/RDBAH). */
    public final long ringIova() {
        return ringIova;
    }

    /** Ring length in bytes (TDLEN/RDLEN). */
    public final int ringBytes() {
        return count * descriptorBytes;
    }

    /** The descriptors, {@code count * descriptorBytes} bytes: for traces and fault checks. */
    public final MemorySegment descriptors() {
        return ring;
    }
}
