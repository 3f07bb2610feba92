package io.nicup.ndis.miniport.i82576;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The advanced descriptor layouts match Linux igb's {@code e1000_82575.h} byte for byte. */
class AdvDescriptorLayoutTest {

    @Test
    void theTransmitDescriptorIs16BytesWithReadAndWriteBackOverlaid() {
        assertThat(AdvTxDescriptor.BYTES).isEqualTo(16);
        assertThat(AdvTxDescriptor.SHIFT).isEqualTo(4);
        assertThat(AdvTxDescriptor.OFFSET_BUFFER_ADDR).isZero();
        assertThat(AdvTxDescriptor.OFFSET_CMD_TYPE_LEN).isEqualTo(8);
        assertThat(AdvTxDescriptor.OFFSET_OLINFO_STATUS).isEqualTo(12);
        assertThat(AdvTxDescriptor.OFFSET_WB_STATUS).as("wb.status overlays olinfo_status").isEqualTo(12);
    }

    @Test
    void theReceiveDescriptorIs16BytesAndStatusErrorOverlaysHdrAddr() {
        assertThat(AdvRxDescriptor.BYTES).isEqualTo(16);
        assertThat(AdvRxDescriptor.OFFSET_PKT_ADDR).isZero();
        assertThat(AdvRxDescriptor.OFFSET_HDR_ADDR).isEqualTo(8);
        assertThat(AdvRxDescriptor.OFFSET_PKT_INFO).isZero();
        assertThat(AdvRxDescriptor.OFFSET_RSS).isEqualTo(4);
        assertThat(AdvRxDescriptor.OFFSET_STATUS_ERROR).isEqualTo(8);
        assertThat(AdvRxDescriptor.OFFSET_LENGTH).isEqualTo(12);
        assertThat(AdvRxDescriptor.OFFSET_VLAN).isEqualTo(14);
    }

    @Test
    void aDataDescriptorCarriesTypeCommandLengthAndPaylenLittleEndian() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = arena.allocate(16, 16);
            AdvTxDescriptor.BUFFER_ADDR.set(d, 0L, 0x1_2345_6780L);
            AdvTxDescriptor.CMD_TYPE_LEN.set(d, 0L, AdvTxDescriptor.cmdTypeLen(1514));
            AdvTxDescriptor.OLINFO_STATUS.set(d, 0L, AdvTxDescriptor.olinfoStatus(1514));
            var le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            assertThat(d.get(ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 0x80);
            assertThat(d.get(le, 8)).isEqualTo(0x2B30_05EA);       // RS IFCS EOP, DEXT, DTYP 0011, 1514
            assertThat(d.get(le, 12) >>> AdvTxDescriptor.PAYLEN_SHIFT).isEqualTo(1514);
            assertThat(d.get(le, 12) & AdvTxDescriptor.STA_DD).isZero();
            // the device's write-back sets DD in the same dword
            d.set(le, 12, d.get(le, 12) | AdvTxDescriptor.STA_DD);
            assertThat((int) AdvTxDescriptor.WB_STATUS.get(d, 0L) & AdvTxDescriptor.STA_DD).isEqualTo(1);
        }
    }

    @Test
    void theReceiveWriteBackFieldsReadWhatTheDeviceWrote() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment d = arena.allocate(16, 16);
            var le32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            var le16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            d.set(le32, 8, AdvRxDescriptor.STAT_DD | AdvRxDescriptor.STAT_EOP | AdvRxDescriptor.ERR_RXE);
            d.set(le16, 12, (short) 1514);
            d.set(le16, 14, (short) 0x0123);
            assertThat((int) AdvRxDescriptor.STATUS_ERROR.get(d, 0L)).isEqualTo(0x8000_0003);
            assertThat((short) AdvRxDescriptor.LENGTH.get(d, 0L)).isEqualTo((short) 1514);
            assertThat((short) AdvRxDescriptor.VLAN.get(d, 0L)).isEqualTo((short) 0x0123);
            AdvRxDescriptor.HDR_ADDR.set(d, 0L, 0L);
            assertThat((int) AdvRxDescriptor.STATUS_ERROR.get(d, 0L)).as("hdr_addr = 0 clears DD").isZero();
        }
    }

    @Test
    void registerOffsetsFollowLinuxE1000Regs() {
        assertThat(Regs82576.RDBAL(0)).isEqualTo(0x02800);
        assertThat(Regs82576.RDBAL(3)).isEqualTo(0x02B00);
        assertThat(Regs82576.RDBAL(4)).isEqualTo(0x0C100);
        assertThat(Regs82576.SRRCTL(0)).isEqualTo(0x0280C);
        assertThat(Regs82576.SRRCTL(15)).isEqualTo(0x0C3CC);
        assertThat(Regs82576.RXDCTL(0)).isEqualTo(0x02828);
        assertThat(Regs82576.TXDCTL(0)).isEqualTo(0x03828);
        assertThat(Regs82576.TXDCTL(5)).isEqualTo(0x0E168);
        assertThat(Regs82576.TDWBAL(0)).isEqualTo(0x03838);
        assertThat(Regs82576.RAL(15)).isEqualTo(0x05478);
        assertThat(Regs82576.RAL(16)).isEqualTo(0x054E0);
        assertThat(Regs82576.EITR(9)).isEqualTo(0x016A4);
        assertThat(Regs82576.IVAR0(7)).isEqualTo(0x0171C);
        assertThat(Ivar.register(9)).isEqualTo(Regs82576.IVAR0(1));
        assertThat(Ivar.rxShift(9)).isEqualTo(16);
        assertThat(Ivar.txShift(9)).isEqualTo(24);
        assertThat(Ivar.txShift(0)).isEqualTo(8);
        assertThat(Srrctl.oneBuffer(2048)).isEqualTo(0x0200_0002);
    }
}
