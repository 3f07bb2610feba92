package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.intel.IntelChipProfile;
import io.nicup.ndis.miniport.intel.IntelMiniport;
import java.time.Duration;

/**
 * The Intel 82576 NDIS 6.30 miniport driver (8086:10C9, {@code E1000_DEV_ID_82576}, the copper function
 * QEMU's {@code igb} presents; Linux igb's other 82576 IDs are fiber, SerDes and quad-port variants this
 * driver does not model): the {@link IntelMiniport} over the {@link Chip82576} profile. The NDIS side is
 * the 82574L miniport's; the chip side is the 82576's (advanced descriptors, queue enables, EICR/IVAR
 * interrupts). Usage is the same as for {@code Miniport82574}.
 */
public final class Miniport82576 extends IntelMiniport<Chip82576> {

    /** Driver name in traces. */
    public static final String NAME = "e82576";
    public static final int VENDOR_ID = 0x8086;
    /** {@code E1000_DEV_ID_82576} (Linux igb e1000_hw.h; QEMU {@code E1000_DEV_ID_82576}). */
    public static final int DEVICE_ID = 0x10C9;

    public static final IntelChipProfile<Chip82576> PROFILE = new IntelChipProfile<>(VENDOR_ID, DEVICE_ID, "82576",
            NAME, "Intel 82576 Gigabit Ethernet (igb)", Regs82576.STATUS, Status.LU, Chip82576::new);

    public Miniport82576() {
        super(PROFILE);
    }

    @Override
    public E82576Diagnostics diagnostics(NdisHost host, MiniportAdapter adapter) {
        return E82576Diagnostics.of(host, this, adapter);
    }

    /** {@link #awaitLink} for callers without a driver instance. */
    public static boolean awaitLinkUp(NdisHost host, MiniportAdapter a, Duration timeout) {
        return IntelMiniport.awaitLinkUp(PROFILE, host, a, timeout);
    }
}
