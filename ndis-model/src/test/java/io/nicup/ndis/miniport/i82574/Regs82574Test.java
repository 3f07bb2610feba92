package io.nicup.ndis.miniport.i82574;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nicup.ndis.miniport.core.FastPathChecks;
import io.nicup.ndis.miniport.intel.Eerd;
import io.nicup.ndis.miniport.intel.Mdic;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Register offsets and bits against docs/hardware-reference.md B.2 and B.3. */
class Regs82574Test {

    @Test
    void offsetsMatchTableB2() {
        assertThat(List.of(Regs82574.CTRL, Regs82574.STATUS, Regs82574.EECD, Regs82574.EERD, Regs82574.CTRL_EXT,
                Regs82574.MDIC)).containsExactly(0x0, 0x8, 0x10, 0x14, 0x18, 0x20);
        assertThat(List.of(Regs82574.ICR, Regs82574.ITR, Regs82574.ICS, Regs82574.IMS, Regs82574.IMC, Regs82574.EIAC,
                Regs82574.IAM, Regs82574.IVAR)).containsExactly(0xC0, 0xC4, 0xC8, 0xD0, 0xD8, 0xDC, 0xE0, 0xE4);
        assertThat(Regs82574.EITR(0)).isEqualTo(0xE8);
        assertThat(Regs82574.EITR(4)).isEqualTo(0xF8);
        assertThat(List.of(Regs82574.RCTL, Regs82574.TCTL, Regs82574.TIPG, Regs82574.LEDCTL, Regs82574.PBA,
                Regs82574.PSRCTL)).containsExactly(0x100, 0x400, 0x410, 0xE00, 0x1000, 0x2170);
        assertThat(List.of(Regs82574.RDBAL(0), Regs82574.RDBAH(0), Regs82574.RDLEN(0), Regs82574.RDH(0),
                Regs82574.RDT(0), Regs82574.RDTR, Regs82574.RXDCTL(0), Regs82574.RADV))
                .containsExactly(0x2800, 0x2804, 0x2808, 0x2810, 0x2818, 0x2820, 0x2828, 0x282C);
        assertThat(List.of(Regs82574.TDBAL(0), Regs82574.TDBAH(0), Regs82574.TDLEN(0), Regs82574.TDH(0),
                Regs82574.TDT(0), Regs82574.TIDV, Regs82574.TXDCTL(0), Regs82574.TADV, Regs82574.TARC(0)))
                .containsExactly(0x3800, 0x3804, 0x3808, 0x3810, 0x3818, 0x3820, 0x3828, 0x382C, 0x3840);
        assertThat(List.of(Regs82574.CRCERRS, Regs82574.MPC, Regs82574.GPRC, Regs82574.GPTC, Regs82574.GORCL,
                Regs82574.GORCH, Regs82574.TPR, Regs82574.TPT, Regs82574.BPTC))
                .containsExactly(0x4000, 0x4010, 0x4074, 0x4080, 0x4088, 0x408C, 0x40D0, 0x40D4, 0x40F4);
        assertThat(List.of(Regs82574.RXCSUM, Regs82574.RFCTL, Regs82574.MTA(0), Regs82574.MTA(127), Regs82574.RAL(0),
                Regs82574.RAH(0), Regs82574.RAL(1), Regs82574.VFTA(0), Regs82574.MANC, Regs82574.MRQC, Regs82574.GCR,
                Regs82574.SWSM, Regs82574.FWSM))
                .containsExactly(0x5000, 0x5008, 0x5200, 0x53FC, 0x5400, 0x5404, 0x5408, 0x5600, 0x5820, 0x5818,
                        0x5B00, 0x5B50, 0x5B54);
    }

    @Test
    void queueOneRegistersAre0x100AfterQueueZero() {
        assertThat(Regs82574.RDT(1)).isEqualTo(0x2918);
        assertThat(Regs82574.TDT(1)).isEqualTo(0x3918);
        assertThat(Regs82574.TARC(1)).isEqualTo(0x3940);
        assertThat(Regs82574.RDBAL(1)).isEqualTo(0x2900);
        assertThat(Regs82574.TDLEN(1)).isEqualTo(0x3908);
    }

    @Test
    void shouldRejectQueueIndexesTheDeviceDoesNotHave() {
        assertThat(Regs82574.queueChecked(1)).isEqualTo(1);
        assertThatThrownBy(() -> Regs82574.queueChecked(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("queue=2");
    }

    @Test
    void bitsMatchB3() {
        assertThat(Ctrl.SLU).isEqualTo(0x40);
        assertThat(Ctrl.RST).isEqualTo(0x0400_0000);
        assertThat(Status.LU).isEqualTo(0x2);
        assertThat(Rctl.EN | Rctl.BAM | Rctl.SECRC).isEqualTo(0x0400_8002);
        assertThat(Rctl.bufferSizeBits(4096)).isEqualTo(0x0203_0000);
        assertThat(Tctl.EN | Tctl.PSP).isEqualTo(0xA);
        assertThat(Tipg.DEFAULT).isEqualTo(0x0060_2008);
        assertThat(Eerd.read(2)).isEqualTo(0x9);
        assertThat(Eerd.data(0x5634_000A)).isEqualTo(0x5634);
        assertThat(Mdic.read(Phy.BMCR)).isEqualTo(0x0820_0000);
        assertThat(Mdic.write(Phy.BMCR, Phy.BMCR_LOOPBACK_1000_FULL)).isEqualTo(0x0420_4140);
        assertThat(Icr.RXQ0 | Icr.TXQ0 | Icr.OTHER).isEqualTo(0x0150_0000);
        assertThat(Ivar.entry(Ivar.TXQ0_SHIFT, 1)).isEqualTo(0x900);
        assertThat(Tarc.ENABLE & Tarc.QEMU_RESET_VALUE).isNotZero();
        assertThat(Rfctl.EXTEN).isEqualTo(0x8000);
        assertThat(Rah.AV).isEqualTo(0x8000_0000);
    }

    @Test
    void constantClassesAreFinalWithAPrivateConstructor() throws Exception {
        for (Class<?> c : List.of(Regs82574.class, Ctrl.class, Status.class, Eecd.class, Eerd.class, Mdic.class,
                Phy.class, Icr.class, Ivar.class, Rctl.class, Tctl.class, Tipg.class, Rah.class, Tarc.class,
                Rfctl.class, LegacyTxDescriptor.class, LegacyRxDescriptor.class, FastPathChecks.class)) {
            assertThat(Modifier.isFinal(c.getModifiers())).as(c.getSimpleName()).isTrue();
            Constructor<?>[] constructors = c.getDeclaredConstructors();
            assertThat(constructors).as(c.getSimpleName()).hasSize(1);
            assertThat(Modifier.isPrivate(constructors[0].getModifiers())).as(c.getSimpleName()).isTrue();
        }
    }
}
