package io.nicup.mock.e82574;

import io.nicup.mock.MockConfigSpace;

import static io.nicup.mock.e82574.E82574Model.*;

/** The 82574L's PCI configuration space as QEMU 7.2's e1000e builds it (hw/net/e1000e.c e1000e_pci_realize). */
final class E82574ConfigSpace {

    private E82574ConfigSpace() {
    }

    static void build(MockConfigSpace c, byte[] permanentMac) {
        // hw/net/e1000e.c e1000e_pci_realize: subsystem 8086:0000, cache line 0x10, INTA
        c.initHeader(VENDOR_ID, DEVICE_ID, CLASS_CODE, 0, 0x8086, 0x0000, 1);
        c.set(MockConfigSpace.CACHE_LINE_SIZE, 1, 0x10);
        c.set(MockConfigSpace.INTERRUPT_LINE, 1, 0x0B);
        c.initBar(0, BAR0_SIZE, true, 0xFEB80000);
        c.initBar(1, BAR1_SIZE, true, 0xFEBA0000);
        c.initBar(2, BAR2_SIZE, false, 0xC000);
        c.initBar(3, BAR3_SIZE, true, 0xFEBC0000);
        // QEMU adds MSI-X, PCIe, MSI, PM, each at the head of the list, so the chain reads
        // 0x34 -> PM 0xC8 -> MSI 0xD0 -> PCIe 0xE0 -> MSI-X 0xA0.
        c.addCapability(MockConfigSpace.CAP_ID_PM, CAP_PM, 8);
        c.set(CAP_PM + 2, 2, 0x0022); // PMC: version 1.1, DSI
        c.setWriteMask(CAP_PM + 4, 2, 0x1F03); // PMCSR: power state, PME enable, data select
        c.setW1cMask(CAP_PM + 4, 2, 0x8000); // PME status
        c.addCapability(MockConfigSpace.CAP_ID_MSI, CAP_MSI, 14);
        c.set(CAP_MSI + 2, 2, 0x0080); // 64-bit address, 1 vector, enable only through VFIO
        c.setWriteMask(CAP_MSI + 2, 2, 0x0070);
        c.setWriteMask(CAP_MSI + 4, 4, 0xFFFFFFFC);
        c.setWriteMask(CAP_MSI + 8, 4, 0xFFFFFFFF);
        c.setWriteMask(CAP_MSI + 12, 2, 0xFFFF);
        c.addCapability(MockConfigSpace.CAP_ID_PCIE, CAP_PCIE, 0x14);
        c.set(CAP_PCIE + 2, 2, 0x0001); // version 1, endpoint
        c.setWriteMask(CAP_PCIE + 8, 2, 0x7FFF); // device control
        c.setW1cMask(CAP_PCIE + 10, 2, 0x000F); // device status
        c.set(CAP_PCIE + 12, 4, 0x00000011); // link capabilities: 2.5 GT/s, x1
        c.setWriteMask(CAP_PCIE + 16, 2, 0x01FB); // link control
        c.set(CAP_PCIE + 18, 2, 0x0011); // link status: 2.5 GT/s, x1
        c.addCapability(MockConfigSpace.CAP_ID_MSIX, CAP_MSIX, 12);
        c.set(CAP_MSIX + 2, 2, MSIX_VECTORS - 1); // table size N-1; enable only through VFIO
        c.set(CAP_MSIX + 4, 4, 0x00000000 | 3); // table at BAR3 + 0
        c.set(CAP_MSIX + 8, 4, 0x00002000 | 3); // PBA at BAR3 + 0x2000
        c.addExtendedCapability(MockConfigSpace.EXT_CAP_ID_AER, 2, EXT_CAP_AER);
        c.setW1cMask(EXT_CAP_AER + 4, 4, 0xFFFFFFFF); // uncorrectable status
        c.setWriteMask(EXT_CAP_AER + 8, 4, 0xFFFFFFFF); // uncorrectable mask
        c.set(EXT_CAP_AER + 12, 4, 0x00062030); // uncorrectable severity default
        c.setWriteMask(EXT_CAP_AER + 12, 4, 0xFFFFFFFF);
        c.setW1cMask(EXT_CAP_AER + 16, 4, 0xFFFFFFFF); // correctable status
        c.setWriteMask(EXT_CAP_AER + 20, 4, 0xFFFFFFFF); // correctable mask
        c.addExtendedCapability(MockConfigSpace.EXT_CAP_ID_DSN, 1, EXT_CAP_DSN);
        // e1000e_gen_dsn: mac[0..2] in the top bytes, 0xFFFF in the middle, mac[3..5] low
        byte[] m = permanentMac;
        long dsn = (m[5] & 0xFFL) | (m[4] & 0xFFL) << 8 | (m[3] & 0xFFL) << 16 | 0xFFL << 24 | 0xFFL << 32
                | (m[2] & 0xFFL) << 40 | (m[1] & 0xFFL) << 48 | (m[0] & 0xFFL) << 56;
        c.set(EXT_CAP_DSN + 4, 4, (int) dsn);
        c.set(EXT_CAP_DSN + 8, 4, (int) (dsn >>> 32));
    }
}
