package io.nicup.cli;

import io.nicup.ndis.miniport.MiniportCatalog;
import io.nicup.ndis.miniport.Miniports;
import java.util.Optional;

/** The PCI functions nicup has a miniport for, by vendor and device ID: the catalog's model names. */
final class SupportedHardware {

    private SupportedHardware() {
    }

    static Optional<String> model(int vendorId, int deviceId) {
        return Miniports.CATALOG.find(vendorId, deviceId).map(MiniportCatalog.Entry::model);
    }
}
