package io.nicup.ndis.miniport.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a NIC family's miniport offers beyond the NDIS contract, for bring-up: offline self-tests, a
 * register dump, the chip's counters and a way to loop frames back inside the device. Obtained from
 * {@link NicDriver#diagnostics} for an initialized adapter.
 */
public interface NicDiagnostics {

    /**
     * The family's offline self-tests in their documented order (the adapter must be Paused); a test
     * that does not apply is SKIPPED with the reason.
     */
    List<SelfTestResult> runOffline();

    /** The important registers with decoded fields; nothing is read whose read has a side effect. */
    List<RegisterReading> registerDump();

    /** The dump, with {@code readClearOnRead} also the registers whose read clears them (ICR). */
    default List<RegisterReading> registerDump(boolean readClearOnRead) {
        return registerDump();
    }

    /** The device's own counters accumulated since initialization, by the datasheet's names. */
    Map<String, Long> counters();

    /** What {@link #counters()} are, as a heading ("chip counters"; a device without any names its substitute). */
    default String countersTitle() {
        return "chip counters";
    }

    /** Driver-side counters: frames completed, indicated, dropped, resets done. */
    Map<String, Long> driverCounters();

    /**
     * The PHY's standard registers and the link partner's abilities, read over the management interface;
     * empty when the device has no PHY (virtio-net).
     */
    default Optional<PhyDump> phy() {
        return Optional.empty();
    }

    /** The checksummed part of the NVM (EEPROM) read now, or empty when the device has none (virtio-net). */
    default Optional<NvmImage> nvm() {
        return Optional.empty();
    }

    /** The firmware version as {@code ethtool -i} shows it ("n/a" for a device without one). */
    default String firmwareVersion() {
        return "n/a";
    }

    /** Blinking the port LED ({@code ethtool -p}), or empty when the device has no LED (virtio-net). */
    default Optional<LedIdentify> identify() {
        return Optional.empty();
    }

    /** How this device loops frames back to itself, or empty when it cannot (virtio-net). */
    Optional<Loopback> loopback();

    /** An internal loopback a Running adapter can be put in and taken out of, frames sent through NDIS. */
    interface Loopback {

        /** Where frames turn around, for messages ("PHY loopback (BMCR 0x4140, MAC forced to 1000 Mb/s FD)"). */
        String description();

        void enter();

        void leave();
    }
}
