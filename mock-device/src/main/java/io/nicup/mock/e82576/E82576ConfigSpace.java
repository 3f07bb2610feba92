package io.nicup.mock.e82576;

import io.nicup.mock.MockConfigSpace;

import static io.nicup.mock.e82576.E82576Model.*;

/** The 82576's PCI configuration space as QEMU's igb builds it (hw/net/igb.c). */
final class E82576ConfigSpace {

    /** PCIe extended capability ID of Alternative Routing-ID Interpretation. */
    private static final int EXT_CAP_ID_ARI = 0x000E;

    private E82576ConfigSpace() {
    }

    static void build(MockConfigSpace c) {
        // hw/net/igb.c: subsystem 1af4:1100 (QEMU's), revision 1
        c.initHeader(VENDOR_ID, DEVICE_ID, CLASS_CODE, 1, 0x1AF4, 0x1100, 1);
        c.set(MockConfigSpace.CACHE_LINE_SIZE, 1, 0x10);
        c.set(MockConfigSpace.INTERRUPT_LINE, 1, 0x0B);
        c.initBar(0, BAR0_SIZE, true, 0xFEA00000);
        c.initBar(1, BAR1_SIZE, true, 0xFEA20000);
        c.initBar(2, BAR2_SIZE, false, 0xD000);
        c.initBar(3, BAR3_SIZE, true, 0xFEA40000);
        c.addCapability(MockConfigSpace.CAP_ID_PCIE, CAP_PCIE, 0x3C);
        c.set(CAP_PCIE + 2, 2, 0x0002); // version 2, endpoint
        c.setWriteMask(CAP_PCIE + 8, 2, 0x7FFF);
        c.setW1cMask(CAP_PCIE + 10, 2, 0x000F);
        c.set(CAP_PCIE + 12, 4, 0x00000011); // link capabilities: 2.5 GT/s, x1 (as QEMU reports it)
        c.setWriteMask(CAP_PCIE + 16, 2, 0x01FB);
        c.set(CAP_PCIE + 18, 2, 0x0011);
        c.addCapability(MockConfigSpace.CAP_ID_MSIX, CAP_MSIX, 12);
        c.set(CAP_MSIX + 2, 2, MSIX_VECTORS - 1);
        c.set(CAP_MSIX + 4, 4, 0x00000000 | 3);
        c.set(CAP_MSIX + 8, 4, 0x00002000 | 3);
        c.addCapability(MockConfigSpace.CAP_ID_MSI, CAP_MSI, 24);
        c.set(CAP_MSI + 2, 2, 0x0180); // 64-bit, per-vector masking, 1 vector
        c.setWriteMask(CAP_MSI + 2, 2, 0x0070);
        c.setWriteMask(CAP_MSI + 4, 4, 0xFFFFFFFC);
        c.setWriteMask(CAP_MSI + 8, 4, 0xFFFFFFFF);
        c.setWriteMask(CAP_MSI + 12, 2, 0xFFFF);
        c.addCapability(MockConfigSpace.CAP_ID_PM, CAP_PM, 8);
        c.set(CAP_PM + 2, 2, 0x0022); // PMC: version 2, DSI
        c.setWriteMask(CAP_PM + 4, 2, 0x1F03);
        c.setW1cMask(CAP_PM + 4, 2, 0x8000);
        c.addExtendedCapability(MockConfigSpace.EXT_CAP_ID_AER, 2, EXT_CAP_AER);
        c.setW1cMask(EXT_CAP_AER + 4, 4, 0xFFFFFFFF);
        c.setWriteMask(EXT_CAP_AER + 8, 4, 0xFFFFFFFF);
        c.set(EXT_CAP_AER + 12, 4, 0x00062030);
        c.setWriteMask(EXT_CAP_AER + 12, 4, 0xFFFFFFFF);
        c.setW1cMask(EXT_CAP_AER + 16, 4, 0xFFFFFFFF);
        c.setWriteMask(EXT_CAP_AER + 20, 4, 0xFFFFFFFF);
        c.addExtendedCapability(EXT_CAP_ID_ARI, 1, EXT_CAP_ARI); // QEMU adds SR-IOV at 0x160: not modelled
    }
}
