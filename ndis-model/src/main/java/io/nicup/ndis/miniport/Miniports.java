package io.nicup.ndis.miniport;

import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.ndis.miniport.virtio.MiniportVirtioNet;
import java.util.List;

/** Every miniport nicup ships, by PCI vendor:device: the one place a new family is added. */
public final class Miniports {

    public static final MiniportCatalog CATALOG = new MiniportCatalog(List.of(
            Miniport82574.CATALOG_ENTRY,
            Miniport82576.CATALOG_ENTRY,
            MiniportVirtioNet.CATALOG_ENTRY));

    private Miniports() {
    }
}
