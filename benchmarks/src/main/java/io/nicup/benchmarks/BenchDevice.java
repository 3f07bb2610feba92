package io.nicup.benchmarks;

import io.nicup.ndis.miniport.i82574.LegacyRxDescriptor;
import io.nicup.ndis.miniport.i82574.LegacyTxDescriptor;
import io.nicup.ndis.miniport.i82574.Regs82574;
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
 */
final class BenchDevice {

    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long TDT = Regs82574.TDT(0);
    private static final long TDH = Regs82574.TDH(0);
    private static final long RDT = Regs82574.RDT(0);
    private static final long RDH = Regs82574.RDH(0);
    /** Length of every received frame: a minimum-size Ethernet frame without FCS. */
    static final short FRAME_LENGTH = 60;

    private final MemorySegment regs;
    private final MemorySegment txRing;
    private final MemorySegment rxRing;
    private final int mask;
    private int txHead;
    private int rxHead;

    BenchDevice(MemorySegment regs, MemorySegment txRing, MemorySegment rxRing, int count) {
        this.regs = regs;
        this.txRing = txRing;
        this.rxRing = rxRing;
        this.mask = count - 1;
    }

    /** Transmits every descriptor from TDH up to the TDT the driver wrote; returns how many. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    int transmit() {
        int tail = regs.get(U32, TDT);
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
        regs.set(U32, TDH, h);
        return n;
    }

    /** Receives up to {@code max} frames into descriptors from RDH up to the RDT the driver wrote. */
    @CompilerControl(CompilerControl.Mode.DONT_INLINE)
    int receive(int max) {
        int tail = regs.get(U32, RDT);
        int h = rxHead;
        int n = 0;
        while (n < max && h != tail) {
            long d = (long) h << LegacyRxDescriptor.SHIFT;
            rxRing.set(U16, d + LegacyRxDescriptor.OFFSET_LENGTH, FRAME_LENGTH);
            rxRing.set(ValueLayout.JAVA_BYTE, d + LegacyRxDescriptor.OFFSET_ERRORS, (byte) 0);
            rxRing.set(ValueLayout.JAVA_BYTE, d + LegacyRxDescriptor.OFFSET_STATUS,
                    (byte) (LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP));
            h = (h + 1) & mask;
            n++;
        }
        rxHead = h;
        regs.set(U32, RDH, h);
        return n;
    }

    /** For the device-only benchmark: pretend the driver handed over {@code n} more TX descriptors. */
    void pretendTxDoorbell(int n) {
        regs.set(U32, TDT, (txHead + n) & mask);
    }

    /** For the device-only benchmark: pretend the driver handed over every RX descriptor. */
    void pretendRxDoorbell() {
        regs.set(U32, RDT, (rxHead - 1) & mask);
    }
}
