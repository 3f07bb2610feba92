package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The descriptor layouts against docs/hardware-reference.md B.4 (QEMU e1000_regs.h l.966-1031). */
class LegacyDescriptorLayoutTest {

    @Test
    void txDescriptorFieldsSitAtTheOffsetsOfB4() {
        assertThat(LegacyTxDescriptor.BYTES).isEqualTo(16);
        assertThat(LegacyTxDescriptor.SHIFT).isEqualTo(4);
        assertThat(LegacyTxDescriptor.OFFSET_BUFFER_ADDR).isZero();
        assertThat(LegacyTxDescriptor.OFFSET_LOWER).isEqualTo(8);
        assertThat(LegacyTxDescriptor.OFFSET_LENGTH).isEqualTo(8);
        assertThat(LegacyTxDescriptor.OFFSET_CSO).isEqualTo(10);
        assertThat(LegacyTxDescriptor.OFFSET_CMD).isEqualTo(11);
        assertThat(LegacyTxDescriptor.OFFSET_UPPER).isEqualTo(12);
        assertThat(LegacyTxDescriptor.OFFSET_STATUS).isEqualTo(12);
        assertThat(LegacyTxDescriptor.OFFSET_CSS).isEqualTo(13);
        assertThat(LegacyTxDescriptor.OFFSET_SPECIAL).isEqualTo(14);
        assertThat(LegacyTxDescriptor.LAYOUT.byteAlignment()).isEqualTo(8);
    }

    @Test
    void rxDescriptorFieldsSitAtTheOffsetsOfB4() {
        assertThat(LegacyRxDescriptor.BYTES).isEqualTo(16);
        assertThat(LegacyRxDescriptor.SHIFT).isEqualTo(4);
        assertThat(LegacyRxDescriptor.OFFSET_BUFFER_ADDR).isZero();
        assertThat(LegacyRxDescriptor.OFFSET_LENGTH).isEqualTo(8);
        assertThat(LegacyRxDescriptor.OFFSET_CSUM).isEqualTo(10);
        assertThat(LegacyRxDescriptor.OFFSET_STATUS).isEqualTo(12);
        assertThat(LegacyRxDescriptor.OFFSET_ERRORS).isEqualTo(13);
        assertThat(LegacyRxDescriptor.OFFSET_SPECIAL).isEqualTo(14);
    }

    @Test
    void bitValuesMatchB4() {
        assertThat(LegacyTxDescriptor.CMD_EOP).isEqualTo(0x01);
        assertThat(LegacyTxDescriptor.CMD_IFCS).isEqualTo(0x02);
        assertThat(LegacyTxDescriptor.CMD_IC).isEqualTo(0x04);
        assertThat(LegacyTxDescriptor.CMD_RS).isEqualTo(0x08);
        assertThat(LegacyTxDescriptor.CMD_RPS).isEqualTo(0x10);
        assertThat(LegacyTxDescriptor.CMD_DEXT).isEqualTo(0x20);
        assertThat(LegacyTxDescriptor.CMD_VLE).isEqualTo(0x40);
        assertThat(LegacyTxDescriptor.CMD_IDE).isEqualTo(0x80);
        assertThat(LegacyTxDescriptor.STA_DD).isEqualTo(0x01);
        assertThat(LegacyRxDescriptor.STA_DD).isEqualTo(0x01);
        assertThat(LegacyRxDescriptor.STA_EOP).isEqualTo(0x02);
        assertThat(LegacyRxDescriptor.ERR_RXE).isEqualTo(0x80);
        assertThat(TxRing.CMD).isEqualTo(0x0B);
    }

    @Test
    void txHandlesWriteLittleEndianAndLowerDataPacksLengthAndCmd() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(2 * 16, 128);
            long d = 16;
            LegacyTxDescriptor.BUFFER_ADDR.set(ring, d, 0x0102_0304_0506_0708L);
            LegacyTxDescriptor.LOWER_DATA.set(ring, d, LegacyTxDescriptor.lower(60, TxRing.CMD));
            LegacyTxDescriptor.UPPER_DATA.set(ring, d, 0);

            byte[] bytes = ring.asSlice(d, 16).toArray(ValueLayout.JAVA_BYTE);
            assertThat(bytes).containsExactly(
                    0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01, // buffer_addr, little-endian
                    0x3C, 0x00, 0x00, 0x0B, // length 60, cso 0, cmd EOP|IFCS|RS
                    0x00, 0x00, 0x00, 0x00); // status, css, special
            assertThat((short) LegacyTxDescriptor.LENGTH.get(ring, d)).isEqualTo((short) 60);
            assertThat((byte) LegacyTxDescriptor.CMD.get(ring, d)).isEqualTo((byte) 0x0B);
            assertThat(ring.asSlice(0, 16).toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);
        }
    }

    @Test
    void rxHandlesReadWhatTheDeviceWritesAtB4Offsets() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ring = arena.allocate(16, 128);
            ring.set(ValueLayout.JAVA_BYTE, 8, (byte) 0xEA); // length 1514 = 0x05EA, little-endian
            ring.set(ValueLayout.JAVA_BYTE, 9, (byte) 0x05);
            ring.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x03); // DD | EOP
            ring.set(ValueLayout.JAVA_BYTE, 13, (byte) 0x40); // IPE
            assertThat((short) LegacyRxDescriptor.LENGTH.get(ring, 0L) & 0xFFFF).isEqualTo(1514);
            assertThat((byte) LegacyRxDescriptor.STATUS.getAcquire(ring, 0L)).isEqualTo((byte) 0x03);
            assertThat((byte) LegacyRxDescriptor.ERRORS.get(ring, 0L)).isEqualTo((byte) 0x40);
        }
    }
}
