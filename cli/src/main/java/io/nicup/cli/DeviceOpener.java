package io.nicup.cli;

import io.nicup.mock.MockDevices;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.PciDevice;
import io.nicup.vfio.linux.VfioPciDevice;

/**
 * Opens what the user named as DEVICE: {@code mock:MODEL[?params]} is a simulated NIC; anything else
 * must be a PCI address of a function bound to vfio-pci.
 */
final class DeviceOpener {

    private DeviceOpener() {
    }

    static boolean isMock(String spec) {
        return spec.startsWith("mock:");
    }

    static PciDevice open(Environment env, String spec) {
        if (isMock(spec)) {
            return MockDevices.open(spec);
        }
        return VfioPciDevice.open(PciAddress.parse(spec), env.host().get(), VfioPciDevice.OpenOptions.defaults());
    }
}
