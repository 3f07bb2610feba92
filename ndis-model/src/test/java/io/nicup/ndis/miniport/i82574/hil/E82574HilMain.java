package io.nicup.ndis.miniport.i82574.hil;

import io.nicup.ndis.miniport.hil.HilLifecycle;
import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.vfio.PciAddress;
import java.nio.file.Path;

/**
 * Guest side of {@code E82574HilTest}: the whole lifecycle of the 82574 miniport ({@link HilLifecycle}) on
 * the real (QEMU) 82574L through VFIO, in one JVM. Each step writes {@code check-NAME.out} and
 * {@code check-NAME.rc} (0 = pass) in the results directory; the host-side test asserts on them.
 *
 * <p>Usage: {@code E82574HilMain BDF RESULTS_DIR}
 */
public final class E82574HilMain {

    private E82574HilMain() {
    }

    public static void main(String[] args) throws Exception {
        HilLifecycle<Miniport82574> run = new HilLifecycle<>(Path.of(args[1]), Miniport82574::new,
                (driver, a) -> driver.adapter(a).toString());
        int rc = run.run(PciAddress.parse(args[0]));
        System.exit(rc);
    }
}
