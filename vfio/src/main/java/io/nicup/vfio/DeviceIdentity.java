package io.nicup.vfio;

/**
 * What a PCI function says it is: IDs from config space offsets 0x00, 0x02, 0x2C, 0x2E, 0x08 (PCI Local
 * Bus Specification 3.0, section 6.2.1).
 *
 * @param classCode base class, sub-class and programming interface as one 24-bit value (0x020000 is an
 *     Ethernet controller)
 */
public record DeviceIdentity(int vendorId, int deviceId, int subsystemVendorId, int subsystemId, int classCode,
        int revision) {

    /** PCI base class 0x02, network controller. */
    public boolean isNetworkController() {
        return (classCode >>> 16) == 0x02;
    }

    @Override
    public String toString() {
        return String.format("%04x:%04x (subsystem %04x:%04x, class %06x, rev %02x)", vendorId, deviceId,
                subsystemVendorId, subsystemId, classCode, revision);
    }
}
