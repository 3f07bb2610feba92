package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.adapter.AllocatedResources;
import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisIoSpace;
import io.nicup.ndis.miniport.core.ConfigSpaceCheck;
import java.security.SecureRandom;
import java.util.List;

/**
 * The bring-up of one virtio-net function over the modern PCI transport: the capability walk that finds
 * the four structures and maps their BARs (4.1.4), the status handshake and feature negotiation of
 * virtio 1.2, 3.1.1 steps 1-6 (again after a reset, with the same features), the MAC address, FAILED
 * when a step goes wrong, and the reset that stops the device's DMA before MiniportHaltEx frees its
 * memory. Queues are set up by {@link VirtioQueues} (step 7); DRIVER_OK (step 8) is the adapter's.
 */
final class VirtioDevice {

    /** QEMU resets within the status write; Linux waits without a bound, we give it 1 s. */
    static final long RESET_TIMEOUT_NANOS = 1_000_000_000L;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final InitParameters params;
    /** The mapped BARs, by BAR number; unmapped in reverse. */
    private final NdisIoSpace[] io = new NdisIoSpace[6];

    List<VirtioPciCap> caps;
    VirtioPciCap commonCap;
    VirtioPciCap notifyCap;
    VirtioPciCap isrCap;
    VirtioPciCap deviceCap;
    VirtioTransport transport;
    long offeredFeatures;
    long features;
    MacAddress permanent;
    MacAddress current;

    VirtioDevice(Ndis ndis, NdisAdapterHandle handle, InitParameters params) {
        this.ndis = ndis;
        this.handle = handle;
        this.params = params;
    }

    /**
     * The capability walk (4.1.4): the first usable capability of each cfg_type, a BAR the adapter was
     * given, the structure inside it. COMMON, NOTIFY and ISR are required; DEVICE_CFG is optional, but one
     * the device offers and places where it cannot be reached fails as the others do (running on without
     * it would mean a made-up MAC and a link assumed up).
     */
    void locateStructures() {
        byte[] space = ConfigSpaceCheck.check(ndis, handle, params.allocatedResources());
        caps = VirtioPciCap.walk(new ConfigSnapshot(space));
        commonCap = find(VirtioPciCap.COMMON_CFG, CommonCfg.SIZE);
        notifyCap = find(VirtioPciCap.NOTIFY_CFG, 2);
        isrCap = find(VirtioPciCap.ISR_CFG, 1);
        deviceCap = find(VirtioPciCap.DEVICE_CFG, NetConfig.STATUS + 2);
        for (int type : LOCATED) {
            VirtioPciCap unusable = firstUnusable(type);
            if (located(type) == null && unusable != null) {
                throw new VirtioInitException(String.format("no usable %s capability: %s %s",
                        VirtioPciCap.typeName(type), unusable, whyUnusable(unusable)));
            }
        }
        if (commonCap == null || notifyCap == null || isrCap == null) {
            throw new VirtioInitException("not a modern virtio device: missing vendor capabilities: found=" + caps
                    + " (COMMON_CFG, NOTIFY_CFG and ISR_CFG are required, virtio 1.2 4.1.4)");
        }
        transport = new VirtioTransport(window(commonCap), window(notifyCap), notifyCap.notifyOffMultiplier(),
                window(isrCap), deviceCap == null ? null : window(deviceCap), ndis.deviceClock(handle));
    }

    private VirtioPciCap find(int type, long minLength) {
        for (VirtioPciCap c : caps) {
            if (c.cfgType() == type && c.length() >= minLength && whyUnusable(c) == null) {
                return c;                                   // the first one the driver can use (4.1.4.1)
            }
        }
        return null;
    }

    private static final int[] LOCATED = {VirtioPciCap.COMMON_CFG, VirtioPciCap.NOTIFY_CFG, VirtioPciCap.ISR_CFG,
        VirtioPciCap.DEVICE_CFG};

    private VirtioPciCap located(int type) {
        return switch (type) {
            case VirtioPciCap.COMMON_CFG -> commonCap;
            case VirtioPciCap.NOTIFY_CFG -> notifyCap;
            case VirtioPciCap.ISR_CFG -> isrCap;
            default -> deviceCap;
        };
    }

    private VirtioPciCap firstUnusable(int type) {
        return caps.stream().filter(c -> c.cfgType() == type && whyUnusable(c) != null).findFirst().orElse(null);
    }

    /**
     * Why the structure a capability locates cannot be used (docs/hardware-reference.md A.9): its BAR is
     * not a memory BAR the adapter was given, or the structure runs past the BAR's end; null when usable.
     */
    private String whyUnusable(VirtioPciCap c) {
        AllocatedResources.MemoryResource r = c.bar() > 5 ? null : params.allocatedResources().bar(c.bar());
        if (r == null) {
            return "(its BAR is not a memory BAR of the function)";
        }
        long end = (c.offset() & 0xFFFF_FFFFL) + c.length();
        return end <= r.length() ? null : String.format("(runs past the end of BAR%d: end=0x%X bar_size=0x%X)",
                c.bar(), end, r.length());
    }

    private VirtioTransport.Window window(VirtioPciCap c) {
        if (io[c.bar()] == null) {
            io[c.bar()] = ndis.NdisMMapIoSpace(handle, params.allocatedResources().bar(c.bar()));
        }
        return new VirtioTransport.Window(io[c.bar()], c.offset() & 0xFFFF_FFFFL, c.length());
    }

    /**
     * 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK and its re-read; of the offloads
     * ({@link Features#OFFLOADS}) those in {@code offloads} are accepted when offered.
     */
    void negotiate(long offloads) {
        transport.reset(RESET_TIMEOUT_NANOS);                                      // 1
        transport.addStatus(DeviceStatus.ACKNOWLEDGE);                            // 2
        transport.addStatus(DeviceStatus.DRIVER);                                 // 3
        offeredFeatures = transport.deviceFeatures();                             // 4
        if ((offeredFeatures & Features.F_VERSION_1) == 0) {
            throw new VirtioInitException(String.format("device does not offer VIRTIO_F_VERSION_1:"
                    + " device_feature=0x%016X (a legacy-only device; start QEMU with disable-legacy=on or use a 1.x"
                    + " device)", offeredFeatures));
        }
        features = Features.accept(offeredFeatures, offloads);
        transport.writeDriverFeatures(features);
        int status = transport.addStatus(DeviceStatus.FEATURES_OK);              // 5
        int back = transport.status();                                           // 6
        checkStatus(back, "after FEATURES_OK");
        if ((back & DeviceStatus.FEATURES_OK) == 0) {
            throw new VirtioInitException(String.format("device rejected the features: FEATURES_OK not kept:"
                    + " device_status=0x%02X (%s) wrote=0x%02X driver_feature=0x%016X (%s) device_feature=0x%016X",
                    back, DeviceStatus.decode(back), status, features, Features.decode(features), offeredFeatures));
        }
    }

    /**
     * During initialization a device_status with DEVICE_NEEDS_RESET or a bit the driver never set fails
     * it (docs/hardware-reference.md C.8); a FEATURES_OK that is gone is left to the callers, which
     * name it as the device refusing the features.
     */
    private void checkStatus(int back, String when) {
        int foreign = back & ~transport.writtenStatus() & ~DeviceStatus.FEATURES_OK;
        if (foreign != 0) {
            throw new VirtioInitException("device_status shows bits the driver never set " + when + ": "
                    + DeviceStatus.contradiction(back, transport.writtenStatus()));
        }
    }

    /**
     * While running: why device_status, read by CheckForHang or on a configuration change, says the
     * device lost the state the driver gave it (a bit the driver set is gone, or a bit no one set is
     * there), or null. DEVICE_NEEDS_RESET and all-ones have their own reasons, given before this.
     */
    String statusContradiction(int status) {
        String c = DeviceStatus.contradiction(status, transport.writtenStatus());
        return c == null ? null : "the device lost the status the driver set: " + c;
    }

    /** 3.1.1 steps 1-6 again after MiniportResetEx, asking for the features negotiated at initialization. */
    void renegotiate() {
        transport.reset(RESET_TIMEOUT_NANOS);
        transport.addStatus(DeviceStatus.ACKNOWLEDGE);
        transport.addStatus(DeviceStatus.DRIVER);
        long offered = transport.deviceFeatures();
        if ((offered & features) != features) {
            throw new VirtioInitException(String.format("device features changed across reset:"
                    + " device_feature=0x%016X negotiated=0x%016X", offered, features));
        }
        transport.writeDriverFeatures(features);
        transport.addStatus(DeviceStatus.FEATURES_OK);
        int back = transport.status();
        checkStatus(back, "after FEATURES_OK, after a reset");
        if ((back & DeviceStatus.FEATURES_OK) == 0) {
            throw new VirtioInitException(String.format("FEATURES_OK not kept after reset: device_status=0x%02X",
                    back));
        }
    }

    /**
     * The MAC from the device configuration (VIRTIO_NET_F_MAC), else a random locally administered
     * unicast address as 5.1.5 asks; NetworkAddress overrides either (the device then filters on it only
     * through the control queue's MAC table, which this driver fills with the current address).
     */
    void identify(MacAddress networkAddress) {
        byte[] mac = null;
        if ((features & Features.NET_F_MAC) != 0 && transport.hasDeviceConfig()) {
            mac = transport.readMac();
            if (mac == null) {
                throw new VirtioInitException("config_generation never settled while reading the MAC: tries="
                        + VirtioTransport.GENERATION_TRIES);
            }
        }
        if (mac == null) {
            mac = new byte[6];
            new SecureRandom().nextBytes(mac);
            mac[0] = (byte) ((mac[0] & 0xFC) | 0x02);       // locally administered, unicast
        }
        permanent = MacAddress.of(mac);
        if (!permanent.isValidUnicast()) {
            throw new VirtioInitException("device MAC address is not a unicast address: mac=" + permanent);
        }
        current = networkAddress != null ? networkAddress : permanent;
    }

    boolean negotiated(long feature) {
        return (features & feature) != 0;
    }

    /**
     * Step 8: the driver is set up; from here on the device may use the queues. The status is read back
     * once: a device that dropped a bit the driver set, or shows one no one set, is not left running
     * (docs/hardware-reference.md C.8).
     */
    void driverOk() {
        transport.addStatus(DeviceStatus.DRIVER_OK);
        String c = DeviceStatus.contradiction(transport.status(), transport.writtenStatus());
        if (c != null) {
            throw new VirtioInitException("device_status does not hold after DRIVER_OK: " + c);
        }
    }

    boolean driverOkSet() {
        return (transport.status() & DeviceStatus.DRIVER_OK) != 0;
    }

    /** 3.1.1: "If any of these steps go irrecoverably wrong, the driver SHOULD set the FAILED status bit". */
    void fail() {
        if (transport != null) {
            try {
                transport.addStatus(DeviceStatus.FAILED);
            } catch (RuntimeException e) {
                // the BAR is gone with the device; nothing more to tell it
            }
        }
    }

    /** A device reset stops all DMA (4.1.4.3.2) before the rings are freed; throws when it never reads 0. */
    void stop() {
        transport.reset(RESET_TIMEOUT_NANOS);
    }

    /** MiniportShutdownEx: status 0 stops the device's DMA; no wait, nothing freed. */
    void shutdown() {
        if (transport != null) {
            try {
                transport.setStatus(0);
            } catch (RuntimeException e) {
                // the device is gone: nothing to stop
            }
        }
    }

    /**
     * Link from virtio_net_config.status; without VIRTIO_NET_F_STATUS the link is assumed up (5.1.4.2).
     * Throws when config_generation never settles (docs/hardware-reference.md C.8): a link state read
     * without it would be a guess.
     */
    boolean linkUp() {
        if ((features & Features.NET_F_STATUS) == 0 || !transport.hasDeviceConfig()) {
            return true;
        }
        int s = transport.readNetStatus();
        if (s < 0) {
            throw new VirtioInitException("config_generation never settled while reading the link status: tries="
                    + VirtioTransport.GENERATION_TRIES);
        }
        return s != 0xFFFF && (s & NetConfig.S_LINK_UP) != 0;
    }

    /** The BAR mappings go back last, highest BAR first. */
    void unmap() {
        for (int i = io.length - 1; i >= 0; i--) {
            if (io[i] != null) {
                ndis.NdisMUnmapIoSpace(handle, io[i]);
                io[i] = null;
            }
        }
    }
}
