package io.nicup.vfio.linux;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VfioProbeTest {

    @TempDir
    Path tmp;
    FakeMachine m;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @BeforeEach
    void setUp() {
        m = new FakeMachine(tmp);
        m.driver("vfio-pci");
        m.device("0000:00:02.0").boundTo("e1000e").group(5);
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void bindSelftestAndRestoreRunEndToEndOnTheFakeMachine() {
        assertThat(VfioProbe.run(new String[] {"bind", "0000:00:02.0"}, out, m.host())).isZero();
        assertThat(VfioProbe.run(new String[] {"selftest", "0000:00:02.0"}, out, m.host())).as(output()).isZero();
        assertThat(VfioProbe.run(new String[] {"unbind", "0000:00:02.0", "--restore"}, out, m.host())).isZero();

        assertThat(output()).contains("bound bdf=0000:00:02.0 previous_driver=e1000e")
                .contains("iommu_type=TYPE1v2").contains("bus_master=true").contains("bar0.read32(0)=")
                .contains("dma iova=0x100000").contains("interrupts mode=MSIX max=5")
                .contains("closed 0000:00:02.0").contains("driver_now=e1000e");
        assertThat(m.kernel.openFds).isEmpty();
    }

    @Test
    void aDeviceAccessErrorIsPrintedAsOneLineWithExitStatusOne() {
        assertThat(VfioProbe.run(new String[] {"info", "0000:00:02.0"}, out, m.host())).isEqualTo(1);
        assertThat(output()).startsWith("error reason=VFIO_SETUP message=device not bound to vfio-pci")
                .contains("remedy=run `nicup bind 0000:00:02.0`");
    }

    @Test
    void badUsageIsExitStatusTwo() {
        assertThat(VfioProbe.run(new String[] {}, out, m.host())).isEqualTo(2);
        assertThat(VfioProbe.run(new String[] {"frobnicate"}, out, m.host())).isEqualTo(2);
        assertThat(VfioProbe.run(new String[] {"info", "nonsense"}, out, m.host())).isEqualTo(1);
    }
}
