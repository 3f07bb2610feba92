package io.nicup.vfio.hil;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The VFIO layer against a real Linux vfio-pci driver, a real (emulated VT-d) IOMMU and a real (emulated)
 * 82574L: one guest runs {@code vfio/src/test/hil/vfio-suite.sh}; each test asserts on one of its checks.
 */
@Tag("hil")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VfioHilTest {

    private QemuGuest guest;
    private int exit;
    private Map<String, String> env;

    @BeforeAll
    void bootOneGuestForTheWholeSuite() throws Exception {
        guest = QemuGuest.retryingWedged("VfioHilTest", this::runTheSuite);
    }

    private QemuGuest runTheSuite() {
        guest = QemuGuest.start(
                List.of("--shared-group", "--nic", "e1000e", "--nic", "e1000e", "--modules", "e1000e",
                        "--timeout", "1500"),
                List.of("bash", "vfio/src/test/hil/vfio-suite.sh"));
        exit = guest.awaitExit(Duration.ofMinutes(27));
        env = guest.env();
        return guest;
    }

    @AfterAll
    void stopTheGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    private String nic() {
        return env.get("NICUP_HIL_NIC1_BDF");
    }

    private Check check(String name) {
        assertThat(exit).as("guest suite exit code; harness output:%n%s", guest.tail()).isZero();
        String out = guest.read("check-" + name + ".out").orElse(null);
        String rc = guest.read("check-" + name + ".rc").orElse(null);
        assertThat(rc).as("check %s did not run; harness output:%n%s", name, guest.tail()).isNotNull();
        return new Check(Integer.parseInt(rc.strip()), out);
    }

    record Check(int rc, String out) {
    }

    @Test
    void listFindsTheEmulated82574LOnItsKernelDriver() {
        Check c = check("list-before");
        assertThat(c.rc()).as(c.out()).isZero();
        assertThat(c.out()).contains("\"bdf\":\"" + nic() + "\"", "\"ids\":\"8086:10d3\"", "\"driver\":\"e1000e\"",
                "\"supported\":\"82574L\"");
    }

    @Test
    void openingADeviceNotOnVfioPciSaysToBindIt() {
        Check c = check("open-unbound");
        assertThat(c.rc()).as(c.out()).isEqualTo(1);
        assertThat(c.out()).contains("reason=VFIO_SETUP", "nicup bind");
    }

    @Test
    void bindHandsTheNicToVfioPciAndTheGroupIsReady() {
        Check bind = check("bind");
        assertThat(bind.rc()).as(bind.out()).isZero();
        assertThat(bind.out()).contains(nic() + ": bound to vfio-pci (was e1000e)", "/dev/vfio/");
        Check list = check("list-bound");
        assertThat(list.out()).contains("\"driver\":\"vfio-pci\"", "\"vfio\":\"ready\"");
    }

    @Test
    void theDeviceOpensThroughVfioType1WithBusMasterDmaAndInterrupts() {
        Check c = check("selftest");
        assertThat(c.rc()).as(c.out()).isZero();
        assertThat(c.out()).contains("iommu_type=TYPE1v2", "bus_master=true", "closed " + nic());
    }

    @Test
    void statusAndMacReadThroughTheMappedBarMatchWhatQemuWasGiven() {
        Check c = check("regs");
        assertThat(c.rc()).as(c.out()).isZero();
        String mac = env.get("NICUP_HIL_NIC1_MAC").toLowerCase(Locale.ROOT);
        assertThat(c.out()).contains("mac=" + mac, "bar0_size=131072");
        long status = Long.parseLong(c.out().replaceAll("(?s).*status=0x([0-9a-f]{8}).*", "$1"), 16);
        assertThat(status & 0x2).as("STATUS.LU (link up) of 0x%08x", status).isEqualTo(0x2);
    }

    @Test
    void dmaMemoryMapsUnmapsAndTheSameIovaIsAcceptedAgainZeroed() {
        Check c = check("dma");
        assertThat(c.rc()).as(c.out()).isZero();
        assertThat(c.out()).contains("after_unmap live_regions=0", "same_iova=true", "zeroed=true",
                "closed live_regions=0");
    }

    @Test
    void allMsixVectorsArmAndTheRoutedCauseFiresItsVector() {
        Check c = check("msix");
        assertThat(c.rc()).as(c.out()).isZero();
        assertThat(c.out()).contains("msix_max=5", "armed=5", "fired=0x10 expected=0x10");
    }

    @Test
    void aSecondProcessIsToldWhichPidHoldsTheDevice() {
        String holder = guest.read("holder.pid").orElse("").strip();
        assertThat(holder).as("holder pid").matches("\\d+");
        Check lock = check("busy-lock");
        assertThat(lock.rc()).as(lock.out()).isEqualTo(1);
        assertThat(lock.out()).contains("reason=BUSY", "PID " + holder);
        Check cli = check("busy-cli");
        assertThat(cli.rc()).as(cli.out()).isEqualTo(6);
        assertThat(cli.out().strip().lines()).hasSize(1);
        assertThat(check("hold").rc()).isZero();
    }

    @Test
    void theVfioGroupsOwnEbusyBecomesAClearInUseError() {
        Check c = check("busy-group");
        assertThat(c.rc()).as(c.out()).isEqualTo(1);
        assertThat(c.out()).contains("reason=BUSY", "in use");
    }

    @Test
    void withoutAccessToTheGroupNodeTheErrorSaysSo() {
        Check c = check("not-root");
        assertThat(c.rc()).as(c.out()).isEqualTo(1);
        assertThat(c.out()).contains("reason=PERMISSION");
    }

    @Test
    void aGroupSharedWithADeviceOnAKernelDriverIsNotViableAndTheCulpritIsNamed() {
        String extra = env.get("NICUP_HIL_EXTRA0_BDF");
        String shared = env.get("NICUP_HIL_NIC0_BDF");
        Check bind = check("not-viable");
        assertThat(bind.rc()).as(bind.out()).isEqualTo(7);
        assertThat(bind.out()).contains("not viable", extra, "e1000");
        assertThat(bind.out().strip().lines()).hasSize(1);
        assertThat(check("list-after-refused").out()).as("the refused bind changed nothing")
                .containsPattern("\"bdf\":\"" + shared + "\"[^}]*\"driver\":\"e1000e\"");
        Check open = check("not-viable-open");
        assertThat(open.rc()).as(open.out()).isEqualTo(1);
        assertThat(open.out()).contains("reason=VFIO_SETUP", "not viable", extra, "e1000");
        assertThat(check("list-after").out()).as("the device is back on its driver")
                .containsPattern("\"bdf\":\"" + shared + "\"[^}]*\"driver\":\"e1000e\"");
    }

    @Test
    void badAddressesGetOneLineAndTheDocumentedExitCode() {
        assertThat(check("not-a-nic").rc()).isEqualTo(2);
        assertThat(check("not-a-nic").out()).contains("not a network controller");
        assertThat(check("malformed").rc()).isEqualTo(2);
        assertThat(check("malformed").out()).contains("malformed PCI address");
        assertThat(check("unknown").rc()).isEqualTo(3);
    }

    @Test
    void unbindRestoreGivesTheNicBackToE1000eAndItCanBeTakenAgainOnlyAfterBinding() {
        Check c = check("unbind-restore");
        assertThat(c.rc()).as(c.out()).isZero();
        assertThat(c.out()).contains("driver now e1000e");
        assertThat(check("list-after").out()).containsPattern("\"bdf\":\"" + nic() + "\"[^}]*\"driver\":\"e1000e\"");
        assertThat(check("reopen-after-restore").out()).contains("reason=VFIO_SETUP");
    }
}
