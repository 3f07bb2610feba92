package io.nicup.ndis.miniport.i82574;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The device side of one TX and one RX queue, completing descriptors in memory the way QEMU's e1000e
 * does: it consumes descriptors from its head up to (not including) the tail register, treats a tail
 * {@code >= count} as an empty ring (docs/hardware-reference.md B.4), writes TX DD only when RS is set (docs/hardware-reference.md B.7 item 1),
 * skips RX descriptors with buffer address 0 (docs/hardware-reference.md B.4) and splits frames larger than a buffer over several
 * descriptors with EOP on the last (docs/hardware-reference.md B.7 item 7). It never moves past the tail, so it also checks that the
 * driver hands it only what it may touch.
 */
final class FakeDevice {

    /** A frame the device transmitted. */
    record TxFrame(long iova, int length, int cmd) {
    }

    private final RecordingRegisterSpace regs;
    private final MemorySegment txRing;
    private final int txCount;
    private final MemorySegment rxRing;
    private final int rxCount;
    private final ArenaDmaRegion buffers;
    private final int bufferSize;

    private int txHead;
    private int rxHead;
    /** Tail values that broke the rules (>= count). */
    private int badTails;
    private final List<TxFrame> transmitted = new ArrayList<>();

    FakeDevice(RecordingRegisterSpace regs, MemorySegment txRing, int txCount, MemorySegment rxRing, int rxCount,
            ArenaDmaRegion buffers, int bufferSize) {
        this.regs = regs;
        this.txRing = txRing;
        this.txCount = txCount;
        this.rxRing = rxRing;
        this.rxCount = rxCount;
        this.buffers = buffers;
        this.bufferSize = bufferSize;
    }

    // ---- TX -----------------------------------------------------------------------------------------

    /** Descriptors between TDH and TDT: what the driver has handed over and the device not yet sent. */
    int txPending() {
        int tdt = regs.value(Regs82574.TDT(0));
        if (tdt >= txCount) {
            badTails++;
            return 0;
        }
        return Math.floorMod(tdt - txHead, txCount);
    }

    /** Transmits up to {@code max} pending descriptors; returns how many. */
    int transmit(int max) {
        int n = Math.min(max, txPending());
        for (int i = 0; i < n; i++) {
            long d = (long) txHead * LegacyTxDescriptor.BYTES;
            long addr = (long) LegacyTxDescriptor.BUFFER_ADDR.get(txRing, d);
            int length = (short) LegacyTxDescriptor.LENGTH.get(txRing, d) & 0xFFFF;
            int cmd = (byte) LegacyTxDescriptor.CMD.get(txRing, d) & 0xFF;
            transmitted.add(new TxFrame(addr, length, cmd));
            if ((cmd & LegacyTxDescriptor.CMD_RS) != 0) {
                LegacyTxDescriptor.STATUS.setRelease(txRing, d, (byte) LegacyTxDescriptor.STA_DD);
            }
            txHead = (txHead + 1) % txCount;
        }
        regs.set(Regs82574.TDH(0), txHead);
        return n;
    }

    List<TxFrame> transmitted() {
        return transmitted;
    }

    int txHead() {
        return txHead;
    }

    // ---- RX -----------------------------------------------------------------------------------------

    /** Descriptors with buffers the device may fill: between RDH and RDT. */
    int rxAvailable() {
        int rdt = regs.value(Regs82574.RDT(0));
        if (rdt >= rxCount) {
            badTails++;
            return 0;
        }
        return Math.floorMod(rdt - rxHead, rxCount);
    }

    /**
     * Receives a frame of {@code length} bytes whose first four bytes are {@code sequence} (little-endian)
     * and whose other bytes are {@code (byte) (sequence + i)}, split over as many descriptors as it needs.
     *
     * @return false when the ring has too few buffers (QEMU would hold the frame and raise RXO)
     */
    boolean receive(int sequence, int length) {
        int pieces = Math.max(1, (length + bufferSize - 1) / bufferSize);
        if (rxAvailable() < pieces) {
            return false;
        }
        byte[] frame = frame(sequence, length);
        int done = 0;
        for (int p = 0; p < pieces; p++) {
            int chunk = Math.min(bufferSize, length - done);
            boolean last = p == pieces - 1;
            long d = (long) rxHead * LegacyRxDescriptor.BYTES;
            long addr = (long) LegacyRxDescriptor.BUFFER_ADDR.get(rxRing, d);
            MemorySegment buffer = buffers.atIova(addr, bufferSize);
            if (buffer == null) {
                throw new AssertionError("RX descriptor " + rxHead + " points outside the buffer region: 0x"
                        + Long.toHexString(addr));
            }
            MemorySegment.copy(frame, done, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
            complete(rxHead, chunk, LegacyRxDescriptor.STA_DD | (last ? LegacyRxDescriptor.STA_EOP : 0), 0);
            done += chunk;
        }
        return true;
    }

    /** Writes a descriptor back with arbitrary length, status and errors (for fault injection). */
    boolean receiveRaw(int length, int status, int errors) {
        if (rxAvailable() < 1) {
            return false;
        }
        complete(rxHead, length, status, errors);
        return true;
    }

    private void complete(int slot, int length, int status, int errors) {
        long d = (long) slot * LegacyRxDescriptor.BYTES;
        LegacyRxDescriptor.LENGTH.set(rxRing, d, (short) length);
        LegacyRxDescriptor.ERRORS.set(rxRing, d, (byte) errors);
        // Status last, with release: the driver reads it with acquire before the rest.
        LegacyRxDescriptor.STATUS.setRelease(rxRing, d, (byte) status);
        rxHead = (rxHead + 1) % rxCount;
        regs.set(Regs82574.RDH(0), rxHead);
    }

    static byte[] frame(int sequence, int length) {
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++) {
            frame[i] = (byte) (sequence + i);
        }
        for (int i = 0; i < 4 && i < length; i++) {
            frame[i] = (byte) (sequence >>> (8 * i));
        }
        return frame;
    }

    int rxHead() {
        return rxHead;
    }

    int badTails() {
        return badTails;
    }
}
