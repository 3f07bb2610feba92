package io.nicup.mock.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;
import io.nicup.vfio.RegisterSpace;
import org.junit.jupiter.api.Test;

/**
 * The faults in virtio-net's BAR4 reads, driven by hand: each counts the reads of BAR4 from power-on
 * and lies from read N+1 on, whatever was written (the common configuration of virtio 1.2 4.1.4.3 says
 * what the truth is).
 */
class VirtioRegisterFaultTest {

    private static final int NUM_QUEUES = 18;
    private static final int DEVICE_STATUS = 20;
    private static final int CONFIG_GENERATION = 21;
    private static final int QUEUE_SELECT = 22;
    private static final int QUEUE_SIZE = 24;
    private static final int MAC = 0x2000;

    private static RegisterSpace bar(String fault) {
        MockPciDevice d = MockDevices.open("mock:virtio-net" + (fault.isEmpty() ? "" : "?fault=" + fault));
        return d.bar(4);
    }

    private static int queueSize(RegisterSpace bar, int q) {
        bar.write16(QUEUE_SELECT, (short) q);
        return bar.read16(QUEUE_SIZE) & 0xFFFF;
    }

    @Test
    void registersAllOnesAnswersEveryReadFromTheNthOnWithAllOnesOfItsWidth() {
        RegisterSpace bar = bar("registers-all-ones@2");
        assertThat(bar.read16(NUM_QUEUES)).isEqualTo((short) 3);
        assertThat(bar.read8(DEVICE_STATUS)).isZero();
        assertThat(bar.read8(DEVICE_STATUS)).isEqualTo((byte) 0xFF);
        assertThat(bar.read16(NUM_QUEUES)).isEqualTo((short) 0xFFFF);
        assertThat(bar.read32(0x1000)).as("the ISR too").isEqualTo(-1);
        assertThat(bar.read8(MAC)).as("the device configuration too").isEqualTo((byte) 0xFF);
    }

    @Test
    void registersRandomAnswersTheSameNoiseOnEveryRun() {
        RegisterSpace a = bar("registers-random@1");
        RegisterSpace b = bar("registers-random@1");
        assertThat(a.read16(NUM_QUEUES)).isEqualTo((short) 3);
        b.read16(NUM_QUEUES);
        int[] first = new int[8];
        boolean differs = false;
        for (int i = 0; i < first.length; i++) {
            first[i] = a.read16(NUM_QUEUES) & 0xFFFF;
            assertThat(b.read16(NUM_QUEUES) & 0xFFFF).isEqualTo(first[i]);
            differs |= first[i] != 3;
        }
        assertThat(differs).as("noise, not the truth").isTrue();
    }

    @Test
    void configGenerationUnstableMovesTheGenerationOnEveryReadFromTheNthOn() {
        RegisterSpace bar = bar("config-generation-unstable@2");
        int g0 = bar.read8(CONFIG_GENERATION) & 0xFF;
        assertThat(bar.read8(CONFIG_GENERATION) & 0xFF).as("stable before the count").isEqualTo(g0);
        int g1 = bar.read8(CONFIG_GENERATION) & 0xFF;
        int g2 = bar.read8(CONFIG_GENERATION) & 0xFF;
        assertThat(g1).isNotEqualTo(g0);
        assertThat(g2).isNotEqualTo(g1);
        assertThat(bar.read8(MAC)).as("the fields themselves stay true").isEqualTo((byte) 0x52);
    }

    @Test
    void queueSizeBadReadsNotAPowerOfTwoAboveTheLimitAndZeroPerQueue() {
        RegisterSpace good = bar("");
        assertThat(queueSize(good, 0)).isEqualTo(256);
        RegisterSpace bar = bar("queue-size-bad");
        assertThat(queueSize(bar, 0)).isEqualTo(384);
        assertThat(queueSize(bar, 1)).isEqualTo(40_000);
        assertThat(queueSize(bar, 2)).isZero();
    }

    @Test
    void numQueuesZeroReadsZeroFromTheNthRead() {
        RegisterSpace bar = bar("num-queues-zero@1");
        assertThat(bar.read16(NUM_QUEUES)).isEqualTo((short) 3);
        assertThat(bar.read16(NUM_QUEUES)).isZero();
    }

    @Test
    void isrGarbageSetsTheReservedBitsAndAConfigurationChangeOnEveryRead() {
        RegisterSpace bar = bar("isr-garbage@1");
        assertThat(bar.read8(0x1000)).as("before the count: nothing pending").isZero();
        assertThat(bar.read8(0x1000) & 0xFF).isEqualTo(0xFE);
        assertThat(bar.read8(0x1000) & 0xFF).isEqualTo(0xFE);
    }

    @Test
    void statusGarbageShowsBitsNeverWrittenAndLosesFeaturesOk() {
        RegisterSpace bar = bar("status-garbage@1");
        bar.write32(8, 0);                                       // driver_feature: MAC, STATUS, CTRL_VQ, CTRL_RX
        bar.write32(12, 1 << 5 | 1 << 16 | 1 << 17 | 1 << 18);
        bar.write32(8, 1);                                       // VERSION_1, ACCESS_PLATFORM
        bar.write32(12, 3);
        bar.write8(DEVICE_STATUS, (byte) 0x0B);                  // ACKNOWLEDGE | DRIVER | FEATURES_OK
        assertThat(bar.read8(DEVICE_STATUS)).isEqualTo((byte) 0x0B);
        assertThat(bar.read8(DEVICE_STATUS) & 0xFF).isEqualTo(0x63);  // NEEDS_RESET | bit 5 | DRIVER | ACKNOWLEDGE
        bar.write8(DEVICE_STATUS, (byte) 0);
        assertThat(bar.read8(DEVICE_STATUS) & 0xFF).as("a reset never reads 0").isEqualTo(0x60);
    }
}
