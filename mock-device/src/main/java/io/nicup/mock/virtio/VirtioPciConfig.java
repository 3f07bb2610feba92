package io.nicup.mock.virtio;

import io.nicup.mock.MockConfigSpace;

import java.util.Set;

import static io.nicup.mock.virtio.VirtioNetModel.*;

/**
 * The virtio-net device's PCI configuration space as QEMU 7.2's virtio-net-pci (modern only) builds
 * it: 1AF4:1041, BAR1 the MSI-X table, BAR4 a 64-bit prefetchable BAR, and the vendor capabilities that
 * locate the BAR4 structures, in QEMU's chain order. The vendor-capability faults bend the COMMON_CFG
 * capability: {@code vendor-cap-bar-missing} names BAR5 (the upper half of BAR4, no BAR of its own),
 * {@code vendor-cap-beyond-bar} places the structure so that it runs past the end of BAR4.
 */
final class VirtioPciConfig {

    private VirtioPciConfig() {
    }

    static void build(MockConfigSpace c, Set<VirtioNetFault> faults, int msixVectors) {
        // hw/virtio/virtio-pci.c virtio_pci_device_plugged (modern only): revision 1, subsystem 1AF4:1100.
        c.initHeader(VENDOR_ID, DEVICE_ID, CLASS_CODE, 1, VENDOR_ID, 0x1100, 1);
        c.set(MockConfigSpace.INTERRUPT_LINE, 1, 0x0B);
        c.initBar(1, BAR1_SIZE, true, 0xFEBD1000);
        // BAR4: 64-bit prefetchable memory (type 10b, prefetchable: 0xC), BAR5 the upper half.
        int bar4 = MockConfigSpace.BAR0 + 16;
        c.set(bar4, 4, 0xFE000000 | 0xC);
        c.setWriteMask(bar4, 4, (int) ~(BAR4_SIZE - 1) & 0xFFFFFFF0);
        c.set(bar4 + 4, 4, 0);
        c.setWriteMask(bar4 + 4, 4, 0xFFFFFFFF);
        // QEMU adds MSI-X last at the head of the list: the chain reads 0x98 -> 0x84 -> 0x70 -> 0x60 -> 0x50 -> 0x40.
        c.addCapability(MockConfigSpace.CAP_ID_MSIX, CAP_MSIX, 12);
        c.set(CAP_MSIX + 2, 2, msixVectors - 1);
        c.set(CAP_MSIX + 4, 4, 1);                            // table at BAR1 + 0
        c.set(CAP_MSIX + 8, 4, 0x800 | 1);                    // PBA at BAR1 + 0x800
        vendorCap(c, CAP_PCI_CFG, 5, 0, 0, 0, 20);
        vendorCap(c, CAP_NOTIFY, 2, 4, NOTIFY_OFFSET, STRUCT_LENGTH, 20);
        c.set(CAP_NOTIFY + 16, 4, NOTIFY_OFF_MULTIPLIER);
        vendorCap(c, CAP_DEVICE, 4, 4, DEVICE_OFFSET, STRUCT_LENGTH, 16);
        vendorCap(c, CAP_ISR, 3, 4, ISR_OFFSET, STRUCT_LENGTH, 16);
        vendorCap(c, CAP_COMMON, 1, 4, COMMON_OFFSET, STRUCT_LENGTH, 16);
        if (faults.contains(VirtioNetFault.VENDOR_CAP_BAR_MISSING)) {
            c.set(CAP_COMMON + 4, 1, 5);
        }
        if (faults.contains(VirtioNetFault.VENDOR_CAP_BEYOND_BAR)) {
            c.set(CAP_COMMON + 8, 4, (int) BAR4_SIZE - STRUCT_LENGTH / 2);
        }
    }

    private static void vendorCap(MockConfigSpace config, int at, int type, int bar, int offset, int length,
            int capLen) {
        config.addCapability(0x09, at, capLen);
        config.set(at + 2, 1, capLen);
        config.set(at + 3, 1, type);
        config.set(at + 4, 1, bar);
        config.set(at + 8, 4, offset);
        config.set(at + 12, 4, length);
    }
}
