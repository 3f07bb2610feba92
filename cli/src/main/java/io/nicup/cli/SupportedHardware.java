package io.nicup.cli;

import java.util.Map;
import java.util.Optional;

/** The PCI functions nicup has a miniport for, by vendor and device ID. */
final class SupportedHardware {

    private static final Map<Integer, String> MODELS = Map.of(
            // Intel 82574L, E1000_DEV_ID_82574L (Linux e1000e hw.h; QEMU e1000e; reference B.1)
            (0x8086 << 16) | 0x10D3, "82574L");

    private SupportedHardware() {
    }

    static Optional<String> model(int vendorId, int deviceId) {
        return Optional.ofNullable(MODELS.get((vendorId << 16) | deviceId));
    }
}
