package io.nicup.ndis.miniport;

import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.ndis.miniport.intel.IntelChipProfile;
import io.nicup.ndis.miniport.intel.IntelMiniport;
import io.nicup.ndis.miniport.virtio.MiniportVirtioNet;
import java.util.List;
import java.util.function.Supplier;

/** Every miniport nicup ships, by PCI vendor:device: the one place a new family is added. */
public final class Miniports {

    public static final MiniportCatalog CATALOG = new MiniportCatalog(List.of(
            intel(Miniport82574.PROFILE, Miniport82574::new),
            intel(Miniport82576.PROFILE, Miniport82576::new),
            MiniportVirtioNet.CATALOG_ENTRY));

    private Miniports() {
    }

    private static MiniportCatalog.Entry intel(IntelChipProfile<?> chip, Supplier<? extends IntelMiniport<?>> driver) {
        return new MiniportCatalog.Entry(chip.vendorId(), chip.deviceId(), chip.model(), chip.name(), chip.description(),
                driver);
    }
}
