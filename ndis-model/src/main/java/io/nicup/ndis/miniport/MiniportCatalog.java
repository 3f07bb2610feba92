package io.nicup.ndis.miniport;

import io.nicup.ndis.driver.MiniportDriverEntry;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.vfio.DeviceIdentity;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The miniports nicup can load, keyed by PCI vendor and device ID (what the INF's hardware IDs do on
 * Windows): {@code CATALOG.find(identity)} gives the entry whose {@link Entry#newDriver()} makes a fresh
 * driver instance to load into an {@link io.nicup.ndis.NdisHost}.
 */
public record MiniportCatalog(List<Entry> entries) {

    /**
     * @param model the family's model name as users write it ("82574L"), also the mock model name
     * @param name driver name for the trace ("e82574")
     * @param description one line for listings
     * @param driver makes a fresh driver instance
     */
    public record Entry(int vendorId, int deviceId, String model, String name, String description,
            Supplier<? extends NicDriver> driver) {

        public NicDriver newDriver() {
            return driver.get();
        }

        public MiniportDriverEntry newDriverEntry() {
            return newDriver()::driverEntry;
        }

        public String ids() {
            return String.format("%04x:%04x", vendorId, deviceId);
        }

        @Override
        public String toString() {
            return ids() + " " + name + " (" + description + ")";
        }
    }

    public MiniportCatalog {
        entries = List.copyOf(entries);
    }

    public Optional<Entry> find(int vendorId, int deviceId) {
        return entries.stream().filter(e -> e.vendorId() == vendorId && e.deviceId() == deviceId).findFirst();
    }

    public Optional<Entry> find(DeviceIdentity identity) {
        return find(identity.vendorId(), identity.deviceId());
    }
}
