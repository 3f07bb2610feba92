package io.nicup.cli;

import io.nicup.vfio.BarInfo;
import io.nicup.vfio.ConfigSpaceSnapshot;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.PciConfigDecoder;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.linux.DeviceBinder;
import io.nicup.vfio.linux.LinuxHost;
import io.nicup.vfio.linux.PciFunction;
import io.nicup.vfio.linux.PciResource;
import io.nicup.vfio.linux.VfioPciDevice;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@code nicup info} shows, as an ordered map for the table and for JSON. A PCI function is read
 * from sysfs whatever its driver, as {@code lspci -vv} reads it: the config space from {@code config},
 * the BAR addresses and sizes from {@code resource}; nothing is written. A function on vfio-pci is also
 * opened through VFIO, which adds what only VFIO knows (mappable BARs, interrupt vectors, regions, the
 * IOMMU). A simulated NIC has no sysfs: everything comes from the device itself.
 */
final class InfoReport {

    /** Why VFIO may refuse to open a device that is fine: in use, not permitted, group not viable. */
    private static final Set<DeviceAccessException.Reason> VFIO_UNAVAILABLE = EnumSet.of(
            DeviceAccessException.Reason.BUSY, DeviceAccessException.Reason.PERMISSION,
            DeviceAccessException.Reason.VFIO_SETUP, DeviceAccessException.Reason.RESOURCE_LIMIT);

    private InfoReport() {
    }

    /** A PCI function on this machine, on any driver or none. */
    static Map<String, Object> function(LinuxHost host, PciAddress address) {
        PciFunction f = host.sysfs().function(address).orElseThrow(() -> new DeviceAccessException(
                DeviceAccessException.Reason.NOT_FOUND, "no such PCI device: bdf=" + address,
                "`nicup list --all` (or `lspci -D`) shows the devices present"));
        ConfigSpaceSnapshot config = host.sysfs().config(address).orElseThrow(() -> new DeviceAccessException(
                DeviceAccessException.Reason.NOT_FOUND, "sysfs attribute missing: file="
                        + host.sysfs().deviceDir(address).resolve("config"),
                "the device may have been removed: check `lspci -D` and the kernel log (dmesg)"));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("device", address.toString());
        doc.put("driver", f.driver().orElse("none"));
        doc.putAll(PciConfigDecoder.decode(config));
        List<Map<String, Object>> bars = new ArrayList<>();
        for (PciResource r : f.bars()) {
            if (r.size() > 0) {
                bars.add(bar(r.index(), r.size(), r.memory(), r.is64Bit(), r.prefetchable(), r.start()));
            }
        }
        doc.put("bars", bars);
        if (f.boundTo(DeviceBinder.VFIO_PCI)) {
            addVfio(host, address, doc, bars);
        }
        return doc;
    }

    /**
     * What VFIO adds. A device another process holds (a {@code bringup --hold}, a {@code --pause-after}
     * pause: the moments it is worth examining) or that this user may not open still shows what sysfs
     * says, with a warning naming why the VFIO part is missing.
     */
    private static void addVfio(LinuxHost host, PciAddress address, Map<String, Object> doc,
            List<Map<String, Object>> bars) {
        try (VfioPciDevice d = VfioPciDevice.open(address, host, VfioPciDevice.OpenOptions.defaults())) {
            for (BarInfo b : d.bars()) {
                bars.stream().filter(m -> m.get("index").equals(b.index()))
                        .forEach(m -> m.put("mappable", b.mappable()));
            }
            doc.put("interrupt_vectors", vectors(d));
            doc.put("vfio", d.summary());
        } catch (DeviceAccessException e) {
            if (!VFIO_UNAVAILABLE.contains(e.reason())) {
                throw e;
            }
            List<Object> warnings = new ArrayList<>((List<?>) doc.get("warnings"));
            warnings.add("VFIO part not shown: " + e.getMessage());
            doc.put("warnings", warnings);
        }
    }

    /** A simulated NIC ({@code mock:MODEL}). */
    static Map<String, Object> simulated(Environment env, String spec) {
        Map<String, Object> doc = new LinkedHashMap<>();
        try (PciDevice d = DeviceOpener.open(env, spec)) {
            doc.put("device", d.description());
            doc.putAll(PciConfigDecoder.decode(d.config()));
            List<Map<String, Object>> bars = new ArrayList<>();
            for (BarInfo b : d.bars()) {
                Map<String, Object> m = bar(b.index(), b.size(), b.memory(), b.is64Bit(), b.prefetchable(), null);
                m.put("mappable", b.mappable());
                bars.add(m);
            }
            doc.put("bars", bars);
            doc.put("interrupt_vectors", vectors(d));
        }
        return doc;
    }

    private static Map<String, Object> bar(int index, long size, boolean memory, boolean is64Bit, boolean prefetchable,
            Long address) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        if (address != null) {
            m.put("address", "0x" + Long.toHexString(address));
        }
        m.put("size", size);
        m.put("type", memory ? (is64Bit ? "mem64" : "mem32") : "io");
        m.put("prefetchable", prefetchable);
        return m;
    }

    private static Map<String, Object> vectors(PciDevice d) {
        Map<String, Object> irq = new LinkedHashMap<>();
        for (InterruptMode mode : InterruptMode.values()) {
            irq.put(mode.name().toLowerCase(Locale.ROOT), d.interrupts().maxVectors(mode));
        }
        return irq;
    }
}
