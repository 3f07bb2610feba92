package io.nicup.mock.e82574;

import io.nicup.mock.intel.Eerd;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** NVM through EERD (docs/hardware-reference.md B.3, B.6; Linux ethtool EEPROM test). */
class NvmTest {

    @Test
    void shouldReadTheConfiguredMacFromWordsZeroToTwo() {
        try (Fixture f = Fixture.open()) {
            assertThat(f.drv.readNvm(0)).isEqualTo(0x0002);
            assertThat(f.drv.readNvm(1)).isEqualTo(0x0000);
            assertThat(f.drv.readNvm(2)).isEqualTo(0x0100);
            assertThat(f.drv.macFromNvm()).isEqualTo(Fixture.MAC);
        }
    }

    @Test
    void shouldReadLikeQemuForItsDefaultMac() {
        try (var dev = io.nicup.mock.MockDevices.open("mock:82574L")) {
            MiniDriver d = new MiniDriver(dev);
            d.readNvm(0);
            // [EMP] docs/hardware-reference.md B.3: EERD=(i<<2)|1 read back 0x54520002, 0x12000006, 0x5634000a
            assertThat(d.read(Regs.EERD)).isEqualTo(0x54520002);
            d.readNvm(1);
            assertThat(d.read(Regs.EERD)).isEqualTo(0x12000006);
            d.readNvm(2);
            assertThat(d.read(Regs.EERD)).isEqualTo(0x5634000a);
        }
    }

    @Test
    void shouldSumToBabaOverWordsZeroToThreeF() {
        try (Fixture f = Fixture.open()) {
            int sum = 0;
            for (int i = 0; i <= Nvm.CHECKSUM_WORD; i++) {
                sum += f.drv.readNvm(i);
            }
            assertThat(sum & 0xFFFF).isEqualTo(0xBABA);
            assertThat(f.drv.readNvm(11)).isEqualTo(0x10D3); // device ID in words 11 and 13
            assertThat(f.drv.readNvm(13)).isEqualTo(0x10D3);
        }
    }

    @Test
    void shouldSetDoneOnlyAfterTheReadTakesItsTime() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.EERD, (3 << 2) | Eerd.START);
            assertThat(f.reg(Regs.EERD) & Eerd.DONE).isZero();
            f.dev.clock().advance(Timing.EERD_NANOS);
            assertThat(f.reg(Regs.EERD)).isEqualTo(Eerd.DONE | 3 << 2 | 0x0420 << 16);
        }
    }

    @Test
    void shouldNeverCompleteAWordBeyondTheImage() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.EERD, (64 << 2) | Eerd.START);
            f.dev.clock().advance(1_000_000);
            assertThat(f.reg(Regs.EERD)).isEqualTo(64 << 2);
        }
    }

    @Test
    void shouldWriteAWordThroughEewr() {
        try (Fixture f = Fixture.open()) {
            f.drv.write(Regs.EEWR, 0xBEEF << 16 | 0x30 << 2 | Eerd.START);
            f.drv.poll("EEWR.DONE", Regs.EEWR, Eerd.DONE, Eerd.DONE);
            assertThat(f.drv.readNvm(0x30)).isEqualTo(0xBEEF);
        }
    }
}
