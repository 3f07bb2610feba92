package io.nicup.benchmarks;

import io.nicup.ndis.miniport.i82574.ExtRxDescriptor;
import io.nicup.ndis.miniport.i82574.LegacyRxDescriptor;
import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82576.AdvRxDescriptor;
import io.nicup.ndis.miniport.i82576.Regs82576;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.openjdk.jmh.annotations.CompilerControl;

/**
 * The device side, played in memory: it transmits what the TDT doorbell handed over (DD on every
 * descriptor with RS, as QEMU does) and receives frames into the buffers RDT handed over (length 60,
 * DD | EOP). It does the least a device must do to the descriptors and touches no packet data. Every
 * variant runs this same code, which the {@code device_*} benchmarks measure alone; its entry points are
 * never inlined into the driver loop, as a real device is not either (the C baseline does the same with
 * {@code noinline}).
 *
 * <p>The descriptors it writes are the 82574L's (legacy TX, extended RX: {@link Layout#EXTENDED_82574}, what
 * the raw-ring variants and the 82574L product run) or the 82576's advanced ones
 * ({@link Layout#ADVANCED_82576}): both put DD in byte 12 of a TX descriptor whose command byte 11 has RS,
 * and an RX write-back's DD and EOP in bits 0 and 1 of {@code status_error} at byte 8, its length at byte 12.
 */
final class BenchDevice {

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    /**
     * Where a family keeps queue 0's doorbells and where its RX write-back puts status and length.
     *
     * @param lowerQuad whether the write-back also overwrites bytes 0-7 (the advanced format's packet info)
     */
    record Layout(long tdt, long tdh, long rdt, long rdh, long rxStatus, long rxLength, boolean lowerQuad) {
        /** The extended receive descriptor the 82574L miniport runs (RFCTL.EXTEN; MRQ and hash 0 in bytes 0-7). */
        static final Layout EXTENDED_82574 = new Layout(Regs82574.TDT(0), Regs82574.TDH(0), Regs82574.RDT(0),
                Regs82574.RDH(0), ExtRxDescriptor.OFFSET_STATUS_ERROR, ExtRxDescriptor.OFFSET_LENGTH, true);
        static final Layout ADVANCED_82576 = new Layout(Regs82576.TDT(0), Regs82576.TDH(0), Regs82576.RDT(0),
                Regs82576.RDH(0), AdvRxDescriptor.OFFSET_STATUS_ERROR, AdvRxDescriptor.OFFSET_LENGTH, true);
    }

    /** Length of every received frame: a minimum-size Ethernet frame without FCS. */
    static final short FRAME_LENGTH = 60;

    private final MemorySegment regs;
    private final MemorySegment txRing;
    private final MemorySegment rxRing;
    private final int mask;
    private final long tdt;
    private final long tdh;
    private final long rdt;
    private final long rdh;
    private final long rxStatus;
    private final long rxLength;
    private final boolean lowerQuad;
    private int txHead;
    private int rxHead;

    /** A device whose queue 0 heads start at {@code txHead} and {@code rxHead} (after a bring-up). */
    BenchDevice(MemorySegment regs, MemorySegment txRing, MemorySegment rxRing, int count, Layout layout,
            int txHead, int rxHead) {
        this.regs = regs;
        this.txRing = txRing;
        this.rxRing = rxRing;
        this.mask = count - 1;
        this.tdt = layout.tdt();
        this.tdh = layout.tdh();
        this.rdt = layout.rdt();
        this.rdh = layout.rdh();
        this.rxStatus = layout.rxStatus();
        this.rxLength = layout.rxLength();
        this.lowerQuad = layout.lowerQuad();
        this.txHead = txHead;
        this.rxHead = rxHead;
    }

    /** Transmits every descriptor from TDH up to the TDT the driver wrote; returns how many. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    int transmit() {
        int tail = regs.get(U32, tdt);
        int h = txHead;
        int n = 0;
        while (h != tail) {
            long d = (long) h << LegacyTxDescriptor.SHIFT;
            if ((txRing.get(ValueLayout.JAVA_BYTE, d + LegacyTxDescriptor.OFFSET_CMD) & LegacyTxDescriptor.CMD_RS) != 0) {
                txRing.set(ValueLayout.JAVA_BYTE, d + LegacyTxDescriptor.OFFSET_STATUS, (byte) LegacyTxDescriptor.STA_DD);
            }
            h = (h + 1) & mask;
            n++;
        }
        txHead = h;
        regs.set(U32, tdh, h);
        return n;
    }

    /** Receives up to {@code max} frames into descriptors from RDH up to the RDT the driver wrote. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    int receive(int max) {
        int tail = regs.get(U32, rdt);
        int h = rxHead;
        int n = 0;
        while (n < max && h != tail) {
            long d = (long) h << ExtRxDescriptor.SHIFT;
            if (lowerQuad) {
                rxRing.set(ValueLayout.JAVA_LONG_UNALIGNED, d, 0L);
            }
            rxRing.set(U16, d + rxLength, FRAME_LENGTH);
            // The status_error word, errors zero: the extended and the advanced formats alike put DD in bit 0
            // and EOP in bit 1 (ExtRxDescriptor, AdvRxDescriptor).
            rxRing.set(U32, d + rxStatus, LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP);
            h = (h + 1) & mask;
            n++;
        }
        rxHead = h;
        regs.set(U32, rdh, h);
        return n;
    }

    /** For the device-only benchmark: pretend the driver handed over {@code n} more TX descriptors. */
    void pretendTxDoorbell(int n) {
        regs.set(U32, tdt, (txHead + n) & mask);
    }

    /** For the device-only benchmark: RS in every TX descriptor's command byte, as the driver sets it. */
    void requestStatusEverywhere(int count) {
        for (int i = 0; i < count; i++) {
            long d = (long) i << LegacyTxDescriptor.SHIFT;
            txRing.set(ValueLayout.JAVA_BYTE, d + LegacyTxDescriptor.OFFSET_CMD, (byte) LegacyTxDescriptor.CMD_RS);
        }
    }

    /** For the device-only benchmark: pretend the driver handed over every RX descriptor. */
    void pretendRxDoorbell() {
        regs.set(U32, rdt, (rxHead - 1) & mask);
    }
}
