package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.intel.RxDescriptorRing;
import io.nicup.ndis.oid.NdisRssHash;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The extended receive ring and hash of the 82574L (docs/hardware-reference.md B.18): a write-back's
 * {@code status_error} reads as the legacy status and errors bytes, the length comes from byte 12, MRQ's
 * type and dword 1 become the NBL's hash, and a refill zeroes the whole upper quadword so that no stale DD
 * (a legacy write-back's length, for one) is taken for a frame.
 */
class ExtRxRingTest {

    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int COUNT = 64;

    private final RecordingRegisterSpace regs = new RecordingRegisterSpace();
    private final ArenaDmaRegion ring = new ArenaDmaRegion("rx-ring", COUNT * 16L, 128, Rig.RX_RING_IOVA);
    private final ArenaDmaRegion buffers = new ArenaDmaRegion("rx-buffers", COUNT * 2048L, 4096, Rig.BUFFERS_IOVA);

    @org.junit.jupiter.api.AfterEach
    void close() {
        ring.close();
        buffers.close();
    }

    private ExtRxRing filled() {
        ExtRxRing rx = new ExtRxRing(ring, regs, 0, COUNT, new PacketBufferPool(buffers, 2048, COUNT));
        rx.writeRingRegisters();
        rx.refillFromPool(rx.emptySlots());
        return rx;
    }

    /** The device's extended write-back into descriptor {@code slot}. */
    private void writeBack(int slot, int mrq, int hash, int statusError, int length) {
        MemorySegment d = ring.segment().asSlice(slot * 16L, 16);
        d.set(LE32, 0, mrq);
        d.set(LE32, 4, hash);
        d.set(LE16, 12, (short) length);
        d.set(LE32, 8, statusError);
    }

    @Test
    void theStatusAndErrorsOfStatusErrorReadAsTheLegacyBytesAndTheHashAsTheNdisType() {
        ExtRxRing rx = filled();
        int statusError = LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP | LegacyRxDescriptor.STA_IPCS
                | LegacyRxDescriptor.STA_TCPCS | LegacyRxDescriptor.ERR_TCPE << ExtRxDescriptor.ERRORS_SHIFT;
        writeBack(0, ExtRxDescriptor.RSS_TYPE_TCP_IPV6, 0x51ccc178, statusError, 90);
        writeBack(1, 0, 0x1234, LegacyRxDescriptor.STA_DD | LegacyRxDescriptor.STA_EOP
                | LegacyRxDescriptor.ERR_RXE << ExtRxDescriptor.ERRORS_SHIFT, 64);
        int[] b = new int[8];
        int[] lengths = new int[8];
        int[] flags = new int[8];
        assertThat(rx.poll(b, lengths, flags, 0, 8)).isEqualTo(2);
        assertThat(lengths[0]).isEqualTo(90);
        assertThat(flags[0]).isEqualTo(statusError & 0xFF | LegacyRxDescriptor.ERR_TCPE << RxDescriptorRing.ERRORS_SHIFT);
        assertThat(flags[1] & RxDescriptorRing.FAULT_ERRORS).as("RXE is a frame error").isNotZero();
        ExtRxHash hash = new ExtRxHash(rx);
        assertThat(hash.info(0)).isEqualTo(NdisRssHash.NDIS_HASH_TCP_IPV6 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ);
        assertThat(hash.value(0)).isEqualTo(0x51ccc178);
        assertThat(hash.info(1)).as("no RSS type: no hash, whatever dword 1 holds").isZero();
        int[] infos = {-1, -1};
        int[] values = {-1, -1};
        hash.read(COUNT - 1, 2, COUNT - 1, infos, values);          // the last slot, then slot 0: the ring's end
        assertThat(infos[1]).isEqualTo(NdisRssHash.NDIS_HASH_TCP_IPV6 | NdisRssHash.NDIS_HASH_FUNCTION_TOEPLITZ);
        assertThat(values[1]).isEqualTo(0x51ccc178);
        assertThat(infos[0]).as("slot %d holds no write-back", COUNT - 1).isZero();
        assertThat(values[0]).as("no hash, no value").isZero();
    }

    @Test
    void aRefillZeroesTheUpperQuadwordSoAStaleLegacyWriteBackIsNoFrame() {
        ExtRxRing rx = new ExtRxRing(ring, regs, 0, COUNT, new PacketBufferPool(buffers, 2048, COUNT));
        for (int i = 0; i < COUNT; i++) {
            ring.segment().set(LE64, i * 16L + 8, 0x0000_0301_0000_0041L);   // a legacy length 0x41: bit 0 set
        }
        rx.writeRingRegisters();
        rx.refillFromPool(rx.emptySlots());
        for (int i = 0; i < COUNT - 1; i++) {
            assertThat(ring.segment().get(LE64, i * 16L + 8)).as("slot %d", i).isZero();
        }
        assertThat(rx.poll(new int[8], new int[8], new int[8], 0, 8)).isZero();
    }
}
