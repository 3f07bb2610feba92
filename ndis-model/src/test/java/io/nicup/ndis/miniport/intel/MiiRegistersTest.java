package io.nicup.ndis.miniport.intel;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.ndis.miniport.core.PhyDump;
import org.junit.jupiter.api.Test;

/** The PHY register decoder and the link partner's abilities (docs/hardware-reference.md B.11). */
class MiiRegistersTest {

    @Test
    void bmcrWithAutonegotiationSaysSpeedAndDuplexAreNegotiatedNotTheForcedBits() {
        assertThat(MiiRegisters.decode(MiiRegisters.BMCR, 0x1140, 0)).isEqualTo("ANENABLE FULLDPLX (speed and duplex autonegotiated)");
        assertThat(MiiRegisters.decode(MiiRegisters.BMCR, 0x4140, 0)).isEqualTo("LOOPBACK FULLDPLX forced SPEED=1000 full duplex");
        assertThat(MiiRegisters.decode(MiiRegisters.BMCR, 0x2000, 0)).isEqualTo("forced SPEED=100 half duplex");
    }

    @Test
    void bmsrNamesEachBitAndTheLinkState() {
        assertThat(MiiRegisters.decode(MiiRegisters.BMSR, 0x796D, 0)).isEqualTo("100FULL 100HALF 10FULL 10HALF ESTATEN"
                + " MF_PREAMBLE_SUPPRESSION ANEGCOMPLETE ANEGCAPABLE LSTATUS ERCAP (link up)");
        assertThat(MiiRegisters.decode(MiiRegisters.BMSR, 0x7949, 0)).endsWith("ERCAP (link down)").doesNotContain("LSTATUS");
    }

    @Test
    void thePhyIdentifierGivesTheOuiModelAndRevision() {
        // the 82574's Marvell PHY as QEMU presents it: OUI 00:50:43
        assertThat(MiiRegisters.decode(MiiRegisters.PHYSID2, 0x0CB1, 0x0141)).isEqualTo("OUI=0x005043 model=0x0B revision=1");
    }

    @Test
    void advertisementAndPartnerAbilitiesUseTheClause28Names() {
        assertThat(MiiRegisters.decode(MiiRegisters.ADVERTISE, 0x0DE1, 0))
                .isEqualTo("10HALF 10FULL 100HALF 100FULL PAUSE ASYM_PAUSE SELECTOR=802.3");
        assertThat(MiiRegisters.decode(MiiRegisters.LPA, 0x47E0, 0))
                .isEqualTo("10HALF 10FULL 100HALF 100FULL 100BASE4 PAUSE ACK SELECTOR=0 (not 802.3)");
        assertThat(MiiRegisters.decode(MiiRegisters.STAT1000, 0x3C05, 0))
                .isEqualTo("LP_1000HALF LP_1000FULL REMOTE_RX_OK LOCAL_RX_OK idle_errors=5");
        assertThat(MiiRegisters.decode(MiiRegisters.CTRL1000, 0x0F00, 0)).isEqualTo("1000HALF 1000FULL PORT_TYPE MS_VALUE(master)");
    }

    @Test
    void thePartnerIsKnownOnlyOnceAutonegotiationCompleted() {
        PhyDump.LinkPartner before = MiiRegisters.partner(0x7949 | MiiRegisters.BMSR_LSTATUS, 0x05E0, 0x3C00);
        assertThat(before.negotiated()).isFalse();
        assertThat(before.modes()).isEmpty();

        PhyDump.LinkPartner igb = MiiRegisters.partner(0x796D, 0x45E0, 0x3C00);
        assertThat(igb.negotiated()).isTrue();
        assertThat(igb.modes()).containsExactly("10baseT/Half", "10baseT/Full", "100baseT/Half", "100baseT/Full",
                "1000baseT/Half", "1000baseT/Full");
        assertThat(igb.pause()).isEqualTo("Symmetric");
    }

    @Test
    void pauseIsWordedAsEthtoolWordsIt() {
        assertThat(MiiRegisters.partner(0x20, 0x0C00, 0).pause()).isEqualTo("Symmetric Receive-only");
        assertThat(MiiRegisters.partner(0x20, 0x0800, 0).pause()).isEqualTo("Transmit-only");
        assertThat(MiiRegisters.partner(0x20, 0x0020, 0x0800).pause()).isEqualTo("No");
        assertThat(MiiRegisters.partner(0x20, 0x0020, 0x0800).modes()).containsExactly("10baseT/Half", "1000baseT/Full");
    }
}
