package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.MiniportDriverEntry;
import io.nicup.vfio.DeviceIdentity;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The miniports nicup can load, keyed by PCI vendor and device ID (what the INF's hardware IDs do on
 * Windows): {@code CATALOG.find(identity)} gives the entry whose {@link Entry#newDriverEntry()} makes a
 * fresh driver instance for {@link io.nicup.ndis.NdisHost#loadDriver}.
 */
public record MiniportCatalog(List<Entry> entries) {

    /**
     * @param name driver name for the trace ("e82574")
     * @param description one line for listings
     * @param driverEntry makes a fresh driver and returns its DriverEntry
     */
    public record Entry(int vendorId, int deviceId, String name, String description,
            Supplier<MiniportDriverEntry> driverEntry) {

        public MiniportDriverEntry newDriverEntry() {
            return driverEntry.get();
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
