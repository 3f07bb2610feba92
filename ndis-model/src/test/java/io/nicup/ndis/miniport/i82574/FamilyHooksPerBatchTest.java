package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.intel.QueueRegisters;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.ndis.miniport.intel.TxChecksum;
import io.nicup.ndis.miniport.intel.TxDescriptorRing;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared Intel rings call their family's hooks once per batch, not once per descriptor, so that in a
 * JVM running several families each family's loop stays its own (docs/ndis-contract.md §19.4). Rings whose
 * hooks record every call show how many calls a batch makes, wrapping at the ring's end included, and
 * that the descriptors the hooks were given are the ones the batch filled.
 */
class FamilyHooksPerBatchTest {

    private static final int COUNT = 64;

    private final ArenaDmaRegion txMemory = new ArenaDmaRegion("tx-ring", COUNT * 16L, 128, 0x1_0000_0000L);
    private final ArenaDmaRegion rxMemory = new ArenaDmaRegion("rx-ring", COUNT * 16L, 128, 0x1_0010_0000L);
    private final ArenaDmaRegion buffers = new ArenaDmaRegion("rx-buffers", 2L * COUNT * 2048, 4096, 0x2_0000_0000L);
    private final PacketBufferPool pool = new PacketBufferPool(buffers, 2048, 2 * COUNT);
    private final RecordingRegisterSpace regs = new RecordingRegisterSpace();

    @AfterEach
    void close() {
        txMemory.close();
        rxMemory.close();
        buffers.close();
    }

    @Test
    void aBatchOfWholeFramesIsOneFamilyCallEvenAcrossTheRingsEnd() {
        RecordingTxRing ring = new RecordingTxRing();
        int[] done = new int[COUNT];
        submitPlain(ring, 48);                                        // move the tail to slot 48
        ring.device.setAll(ring);
        ring.clean(done, 0, COUNT);
        ring.calls.clear();

        assertThat(submitPlain(ring, 32)).isEqualTo(32);

        assertThat(ring.calls).containsExactly("frames first=48 n=32");
        for (int k = 0; k < 32; k++) {
            int slot = (48 + k) & (COUNT - 1);
            assertThat(ring.commandLength(slot)).as("slot %d", slot).isEqualTo(100 + k);
        }
    }

    @Test
    void aNewChecksumContextSplitsTheRunOnceAndTheFramesSharingItFollowInOneCall() {
        RecordingTxRing ring = new RecordingTxRing();
        int a = ipv4Tcp(14, 20);
        int b = ipv4Tcp(18, 20);                                      // a VLAN-tagged frame: other offsets
        int[] offloads = {0, 0, a, a, a, b, 0};
        int n = ring.submit(iovas(7), lengths(7), tags(7), offloads, 0, 7);

        assertThat(n).isEqualTo(7);
        assertThat(ring.calls).containsExactly(
                "frames first=0 n=2",
                "context slot=2",
                "frames first=3 n=3",
                "context slot=6",
                "frames first=7 n=2");
    }

    @Test
    void aReceiveBatchReadsItsWriteBacksAndClearsThemInOneCallEachAcrossTheRingsEnd() {
        RecordingRxRing ring = new RecordingRxRing();
        ring.writeRingRegisters();
        ring.refillFromPool(COUNT - 1);
        int[] bufs = new int[COUNT];
        int[] lens = new int[COUNT];
        int[] flags = new int[COUNT];
        markDone(ring, 0, 48);
        ring.poll(bufs, lens, flags, 0, 48);                         // the next poll starts at slot 48
        ring.refill(bufs, 0, 48);
        ring.calls.clear();

        markDone(ring, 48, 32);
        assertThat(ring.poll(bufs, lens, flags, 0, 32)).isEqualTo(32);
        assertThat(ring.refill(bufs, 0, 32)).isEqualTo(32);

        assertThat(ring.calls).containsExactly("flags first=48 n=32", "clear first=47 n=32");
        assertThat(RxDescriptorRing.isGood(flags[0])).isTrue();
        assertThat(flags[31] & RxDescriptorRing.STATUS_MASK).isEqualTo(LegacyRxDescriptor.STA_DD
                | LegacyRxDescriptor.STA_EOP);
    }

    // ---------------------------------------------------------------------------------------------------

    private static int ipv4Tcp(int mac, int ip) {
        return ip | mac << TxChecksum.MACLEN_SHIFT | TxChecksum.IPV4 | TxChecksum.TCP | TxChecksum.TXSM
                | TxChecksum.IXSM;
    }

    private int submitPlain(RecordingTxRing ring, int frames) {
        return ring.submit(iovas(frames), lengths(frames), tags(frames), 0, frames);
    }

    private long[] iovas(int n) {
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = pool.iova(i);
        }
        return a;
    }

    private static int[] lengths(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = 100 + i;
        }
        return a;
    }

    private static int[] tags(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = 1000 + i;
        }
        return a;
    }

    /** What the device writes back for a good frame of 60 bytes in each of {@code n} slots from {@code first}. */
    private static void markDone(RecordingRxRing ring, int first, int n) {
        for (int k = 0; k < n; k++) {
            long d = (long) ((first + k) & (COUNT - 1)) * 16;
            LegacyRxDescriptor.LENGTH.set(ring.descriptors(), d, (short) 60);
            LegacyRxDescriptor.STATUS.set(ring.descriptors(), d,
                    (byte) (LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP));
        }
    }

    /** Legacy descriptors, each hook call recorded. */
    private final class RecordingTxRing extends TxDescriptorRing {
        final List<String> calls = new ArrayList<>();
        final Device device = new Device();

        RecordingTxRing() {
            super(txMemory, regs, 0, COUNT, QueueRegisters.at(Regs82574.TDBAL(0)), 16, LegacyTxDescriptor.MAX_LENGTH,
                    LegacyTxDescriptor.OFFSET_STATUS, LegacyTxDescriptor.STA_DD);
            writeRingRegisters();
        }

        int commandLength(int slot) {
            return (short) LegacyTxDescriptor.LENGTH.get(descriptors(), (long) slot * 16) & 0xFFFF;
        }

        @Override
        protected void writeFrameCommands(MemorySegment ring, int first, int n, int mask, int[] lengths,
                int[] offloads, int from) {
            calls.add("frames first=" + first + " n=" + n);
            for (int i = 0; i < n; i++) {
                long d = (long) ((first + i) & mask) * 16;
                LegacyTxDescriptor.LENGTH.set(ring, d, (short) lengths[from + i]);
                LegacyTxDescriptor.STATUS.set(ring, d, (byte) 0);
            }
        }

        @Override
        protected void writeContext(MemorySegment ring, long d, int offload) {
            calls.add("context slot=" + d / 16);
        }

        @Override
        protected void writeSegmentationContext(MemorySegment ring, long d, int offload, int segmentation,
                int payload) {
            calls.add("segmentation context slot=" + d / 16);
        }

        @Override
        protected void writeSegmentPiece(MemorySegment ring, long d, int length, int payload, boolean endOfPacket,
                int offload) {
            calls.add("segment piece slot=" + d / 16);
        }

        @Override
        protected void writePiece(MemorySegment ring, long d, int length, int frameLength, boolean endOfPacket,
                int offload) {
            calls.add("piece slot=" + d / 16);
        }
    }

    /** Stands for the device finishing every descriptor submitted. */
    private static final class Device {
        void setAll(TxDescriptorRing ring) {
            for (int slot = 0; slot < COUNT; slot++) {
                LegacyTxDescriptor.STATUS.set(ring.descriptors(), (long) slot * 16, (byte) LegacyTxDescriptor.STA_DD);
            }
        }
    }

    /** Legacy receive descriptors, each hook call recorded. */
    private final class RecordingRxRing extends RxDescriptorRing {
        final List<String> calls = new ArrayList<>();

        RecordingRxRing() {
            super(rxMemory, regs, 0, COUNT, QueueRegisters.at(Regs82574.RDBAL(0)), 16, pool,
                    LegacyRxDescriptor.OFFSET_STATUS, LegacyRxDescriptor.STA_DD, LegacyRxDescriptor.OFFSET_LENGTH);
        }

        @Override
        protected void writtenBackFlags(MemorySegment ring, int first, int n, int mask, int[] flags, int offset) {
            calls.add("flags first=" + first + " n=" + n);
            for (int i = 0; i < n; i++) {
                long d = (long) ((first + i) & mask) * 16;
                flags[offset + i] = ring.get(ValueLayout.JAVA_BYTE, d + LegacyRxDescriptor.OFFSET_STATUS) & 0xFF;
            }
        }

        @Override
        protected void clearWriteBacks(MemorySegment ring, int first, int n, int mask) {
            calls.add("clear first=" + first + " n=" + n);
        }

        @Override
        protected void writeBufferSize(io.nicup.vfio.RegisterSpace regs, int queue, int bufferSize) {
        }
    }
}
