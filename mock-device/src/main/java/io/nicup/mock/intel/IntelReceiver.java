package io.nicup.mock.intel;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.zip.CRC32;

/**
 * The receive engine of the Intel models (QEMU e1000e_receive_iov, igb_receive_internal): pads short
 * frames, drops oversized and filtered ones, holds frames in the packet buffer while no descriptors are
 * free, and writes a frame with its real FCS across the descriptors of the receive queue the chip picks
 * for it ({@link Chip#receiveQueue}: queue 0, or the 82576's RSS). The chip supplies its descriptor
 * write-back, buffer size, size limit, queue enables and interrupt causes through {@link Chip}. The packet
 * buffer is one FIFO for every queue, as on the chips: a held frame waits for its own queue's descriptors
 * and the frames behind it wait with it.
 */
public final class IntelReceiver {

    /** Where the dma-fault fault sends a received frame: never mapped by the mock's DMA allocator. */
    public static final long DMA_FAULT_IOVA = 0x0000_DEAD_0000_0000L;

    /**
     * The length the rx-length-over-limit fault reports: beyond the 1518-byte limit (1522 with a VLAN
     * tag) of a receiver without RCTL.LPE, within the smallest buffer the drivers use (2048 bytes).
     */
    public static final int OVER_LIMIT_LENGTH = 1600;

    /** How far past the ring's end the rx-head-out-of-range fault puts RDH. */
    public static final int HEAD_BEYOND_RING = 8;

    /** What a chip tells the receive engine. */
    public interface Chip {

        /**
         * The receive queue of a frame that passed the filters; called again when a held frame is delivered.
         * The chip keeps what it computed (the 82576's RSS hash) for the {@link #writeBack} that follows.
         */
        default int receiveQueue(byte[] frame, int size) {
            return 0;
        }

        /** Queue {@code q}'s ring registers. */
        RingRegisters rxRing(int q);

        /** A frame looped back inside the device needs STATUS.LU too (the 82576; the 82574L does not). */
        boolean loopbackNeedsLink();

        /** Too long for the chip's limits (RCTL.LPE and the chip's maximum). */
        boolean oversized(byte[] frame, int size, int rctl);

        /** Queue {@code q} takes part (the 82576's RXDCTL[q].ENABLE). */
        boolean rxQueueEnabled(int q);

        /** A frame for disabled queue {@code q} was dropped: the chip's own count of it, if it keeps one. */
        default void droppedForDisabledQueue(int q) {
        }

        /** Nothing may be written to queue {@code q} now beyond the engine's own checks (the 82576 also wants STATUS.LU). */
        boolean deliveryBlocked(int q);

        /** Receive packet buffer size in bytes (the 82574L's PBA.RXA, the 82576's RXPBS). */
        long packetBufferBytes();

        /** Bytes per descriptor buffer of queue {@code q}. */
        int bufferSize(int q);

        /**
         * Writes one descriptor back in the chip's format, with {@code checksum} ({@link ChecksumOffload#verdict}:
         * status bits 7:0, error bits 31:24) on the last descriptor of a frame.
         */
        void writeBack(long descriptor, boolean last, int length, int checksum);

        /** RXCSUM. */
        int rxcsum();

        /** A frame was delivered to queue {@code q}: signal its receive causes; {@code free} descriptors are left of {@code count}. */
        void delivered(int q, int free, int count);

        /** A frame was held or dropped for want of descriptors: ICR.RXO. */
        void overrun();
    }

    /** The rest of the device as the receive engine sees it. */
    public interface Port {
        boolean phyLoopback();

        boolean carrier();

        /** A frame was delivered: the traffic-triggered faults advance. */
        void frameEvent();
    }

    private static final int DELIVERED = 0;
    private static final int NO_BUFFERS = 1;
    private static final int BLOCKED = 2;

    private final IntelCore core;
    private final Chip chip;
    private final Port port;
    private final E1000xRxFilter filter;
    private final RxPacketBuffer fifo = new RxPacketBuffer();
    private final byte[] buf;
    private final byte[] padBuf = new byte[IntelTransmitter.MIN_FRAME];
    private final CRC32 crc = new CRC32();
    private final int minFrame = IntelTransmitter.MIN_FRAME;
    /** The one-shot receive faults that have fired. */
    private final EnumSet<IntelFault> fired = EnumSet.noneOf(IntelFault.class);

    /** @param maxFrame the longest frame (without FCS) the chip can receive */
    public IntelReceiver(IntelCore core, Chip chip, Port port, E1000xRxFilter filter, int maxFrame) {
        this.core = core;
        this.chip = chip;
        this.port = port;
        this.filter = filter;
        this.buf = new byte[maxFrame + 8];
    }

    /** Frames held for descriptors. */
    public int heldFrames() {
        return fifo.size();
    }

    /** Forgets the frames held. */
    public void clear() {
        fifo.clear();
    }

    /** A frame from the wire (QEMU: ignored in loopback, lost without a carrier). */
    public void fromWire(byte[] frame, int length) {
        if (core.removed) {
            return;
        }
        if (port.phyLoopback() || (core.reg(core.layout.rctl()) & core.layout.rctlLbmMask()) != 0) {
            core.count(IntelCounter.RX_IGNORED_IN_LOOPBACK);
            return;
        }
        if (!port.carrier()) {
            core.count(IntelCounter.RX_NO_LINK);
            return;
        }
        receive(frame, length, false);
    }

    /** A frame from the wire or looped back in the MAC or PHY. */
    public void receive(byte[] frame, int length, boolean loopback) {
        IntelLayout l = core.layout;
        if (core.removed || core.inReset) {
            return;
        }
        if ((!loopback || chip.loopbackNeedsLink()) && !core.linkUp()) {
            core.count(IntelCounter.RX_NO_LINK);
            return;
        }
        int rctl = core.reg(l.rctl());
        if ((rctl & l.rctlEn()) == 0) {
            core.count(IntelCounter.RX_DISABLED);
            return;
        }
        byte[] src = frame;
        int size = length;
        if (size < minFrame) {
            // QEMU: pad to 60 bytes and count RUC
            System.arraycopy(frame, 0, padBuf, 0, size);
            Arrays.fill(padBuf, size, minFrame, (byte) 0);
            src = padBuf;
            size = minFrame;
            core.stats.increment(l.ruc());
        }
        if ((rctl & l.rctlSbp()) == 0 && chip.oversized(src, size, rctl)) {
            core.stats.increment(l.roc());
            return;
        }
        if (!filter.accepts(rctl, src)) {
            core.count(IntelCounter.RX_FILTERED);
            return;
        }
        int q = chip.receiveQueue(src, size);
        if (!chip.rxQueueEnabled(q)) {
            core.count(IntelCounter.RX_QUEUE_DISABLED);
            chip.droppedForDisabledQueue(q);
            return;
        }
        if (!fifo.isEmpty()) {
            drain();
        }
        int result = fifo.isEmpty() ? deliver(src, size) : NO_BUFFERS;
        if (result != DELIVERED) {
            hold(src, size, result == NO_BUFFERS);
        }
    }

    private void hold(byte[] src, int size, boolean noBuffers) {
        IntelLayout l = core.layout;
        if (noBuffers) {
            core.stats.increment(l.rnbc());
        }
        if (!fifo.hold(src, size, chip.packetBufferBytes())) {
            core.stats.increment(l.mpc());
            core.count(IntelCounter.RX_MISSED);
            chip.overrun();
            return;
        }
        core.count(IntelCounter.RX_HELD);
        if (noBuffers) {
            chip.overrun(); // QEMU raises RXO when it cannot place a frame
        }
    }

    /** Delivers the frames held, in order, while descriptors last. */
    public void drain() {
        fifo.drain(f -> deliver(f, f.length) == DELIVERED);
    }

    /** Writes one frame into its queue's ring (QEMU e1000e/igb_write_packet_to_guest). */
    private int deliver(byte[] src, int size) {
        IntelLayout l = core.layout;
        int[] regs = core.regs;
        int rctl = core.reg(l.rctl());
        int q = chip.receiveQueue(src, size);
        if (core.removed || core.inReset || (rctl & l.rctlEn()) == 0 || chip.deliveryBlocked(q)) {
            return BLOCKED;
        }
        if (!core.canDma()) {
            return BLOCKED;
        }
        RingRegisters ring = chip.rxRing(q);
        if (ring.headOutsideRing(regs)) {
            return missedOutsideRing();
        }
        int count = ring.descriptors(regs);
        int bufSize = chip.bufferSize(q);
        int fcs = (rctl & l.rctlSecrc()) != 0 ? 0 : 4;
        int total = size + fcs;
        if (count == 0 || (long) ring.free(regs) * bufSize < total) {
            return NO_BUFFERS;
        }
        if (src != buf) {
            System.arraycopy(src, 0, buf, 0, size);
        }
        if (fcs != 0) {
            E1000xRx.appendFcs(crc, buf, size);
        }
        if (fire(IntelFault.RX_HEAD_OUT_OF_RANGE)) {
            ring.headPastEnd(regs, HEAD_BEYOND_RING);        // its write-back would land past RDLEN: not made
            return missedOutsideRing();
        }
        if (fire(IntelFault.RX_DD_UNSUBMITTED)) {
            // DD|EOP into the slot the driver keeps empty; the frame's bytes go nowhere, the head stays
            chip.writeBack(ring.tailDescriptor(regs), true, total, 0);
            core.count(IntelCounter.UNSUBMITTED_WRITE_BACKS);
            return delivered(q, ring, size, count);
        }
        boolean faultWrite = fire(IntelFault.DMA_FAULT);
        int reported = fire(IntelFault.RX_LENGTH) ? bufSize : 0;   // added to the last chunk's length
        if (fire(IntelFault.RX_LENGTH_ZERO)) {
            reported = Integer.MIN_VALUE;
        } else if (fire(IntelFault.RX_LENGTH_OVER_LIMIT)) {
            reported = Integer.MAX_VALUE;
        }
        int checksum = ChecksumOffload.verdict(buf, size, chip.rxcsum());
        if (checksum != 0 && core.faults.armedOnReceive(IntelFault.RX_CSUM_LIE, false)) {
            checksum = ChecksumOffload.lie(checksum);
        }
        int written = 0;
        do {
            if (ring.empty(regs)) {
                core.count(IntelCounter.RX_TRUNCATED);
                break;
            }
            long desc = ring.headDescriptor(regs);
            long buffer = core.dma.read64(desc, "rx-descriptor");
            int chunk = 0;
            boolean last = false;
            if (buffer != 0) {
                chunk = Math.min(total - written, bufSize);
                long target = faultWrite ? DMA_FAULT_IOVA + written : buffer;
                core.dma.write(target, buf, written, chunk, "rx-buffer");
                written += chunk;
                last = written >= total;
            } else {
                core.count(IntelCounter.RX_NULL_DESCRIPTOR); // "skip descriptors with null buf addr"
            }
            chip.writeBack(desc, last, last ? reportedLength(chunk, reported) : chunk, last ? checksum : 0);
            core.wroteBack(true, desc);
            ring.advance(regs);
        } while (written < total);
        return delivered(q, ring, size, count);
    }

    /** The length a frame's last descriptor reports: its own, or what a length fault makes of it. */
    private static int reportedLength(int chunk, int reported) {
        return switch (reported) {
            case Integer.MIN_VALUE -> 0;
            case Integer.MAX_VALUE -> OVER_LIMIT_LENGTH;
            default -> chunk + reported;
        };
    }

    /** Whether the one-shot receive {@code fault} fires on this frame; it is then spent. */
    private boolean fire(IntelFault fault) {
        if (!core.faults.armedOnReceive(fault, fired.contains(fault))) {
            return false;
        }
        fired.add(fault);
        return true;
    }

    /** The frame went where the driver cannot see it (RDH outside the ring): the device counts it missed. */
    private int missedOutsideRing() {
        core.stats.increment(core.layout.mpc());
        core.count(IntelCounter.RX_HEAD_OUTSIDE_RING);
        return DELIVERED;
    }

    private int delivered(int q, RingRegisters ring, int size, int count) {
        int[] regs = core.regs;
        // statistics (QEMU e1000x_update_rx_total_stats); octets and size bins include the FCS
        core.stats.received(buf, size + 4);
        int free = ring.free(regs);
        core.faults.received();
        chip.delivered(q, free, count);
        port.frameEvent();
        return DELIVERED;
    }
}
