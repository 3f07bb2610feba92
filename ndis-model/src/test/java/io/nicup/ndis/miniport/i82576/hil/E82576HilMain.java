package io.nicup.ndis.miniport.i82576.hil;

import io.nicup.ndis.miniport.hil.HilLifecycle;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.vfio.PciAddress;
import java.nio.file.Path;

/**
 * Guest side of {@code Igb82576HilTest}: the whole lifecycle of the 82576 miniport ({@link HilLifecycle}) on
 * QEMU's 82576 (igb) through VFIO, in one JVM. Each step writes {@code check-NAME.out} and
 * {@code check-NAME.rc} (0 = pass) in the results directory; the host-side test asserts on them.
 *
 * <p>Usage: {@code E82576HilMain BDF RESULTS_DIR}
 */
public final class E82576HilMain {

    private E82576HilMain() {
    }

    public static void main(String[] args) throws Exception {
        HilLifecycle<Miniport82576> run = new HilLifecycle<>(Path.of(args[1]), Miniport82576::new,
                (driver, a) -> driver.adapter(a).toString());
        int rc = run.run(PciAddress.parse(args[0]));
        System.exit(rc);
    }
}
