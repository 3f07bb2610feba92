package io.nicup.vfio.linux;

import io.nicup.vfio.DeviceIdentity;
import io.nicup.vfio.PciAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A PCI function as sysfs describes it ({@code /sys/bus/pci/devices/<BDF>}).
 *
 * @param driver the bound driver ({@code readlink driver}), empty when unbound
 * @param iommuGroup the IOMMU group number ({@code readlink iommu_group}), empty when the IOMMU is off
 * @param numaNode NUMA node, -1 when unknown
 * @param resources the {@code resource} file, one entry per line
 * @param netInterfaces the kernel network interfaces of this function: the names in every {@code net/}
 *     directory below it, {@code net/} itself or one on a bus below it ({@code virtioN/net/})
 * @param driverOverride the content of {@code driver_override}, empty when none
 */
public record PciFunction(PciAddress address, DeviceIdentity identity, Optional<String> driver,
        OptionalInt iommuGroup, int numaNode, List<PciResource> resources, List<String> netInterfaces,
        Optional<String> driverOverride) {

    public PciFunction {
        resources = List.copyOf(resources);
        netInterfaces = List.copyOf(netInterfaces);
    }

    public boolean boundTo(String driverName) {
        return driver.filter(driverName::equals).isPresent();
    }

    /** The six BAR resources (fewer if the file is shorter). */
    public List<PciResource> bars() {
        return resources.subList(0, Math.min(6, resources.size()));
    }

    @Override
    public String toString() {
        return address + " " + identity + " driver=" + driver.orElse("none") + " iommu_group="
                + (iommuGroup.isPresent() ? Integer.toString(iommuGroup.getAsInt()) : "none") + " numa_node=" + numaNode
                + (netInterfaces.isEmpty() ? "" : " net=" + String.join(",", netInterfaces));
    }
}
