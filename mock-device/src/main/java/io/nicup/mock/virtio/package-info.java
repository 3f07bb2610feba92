/**
 * A behavioural model of a virtio-net 1.x device on the modern virtio PCI transport, after QEMU 7.2's
 * virtio-net-pci with {@code disable-legacy=on,iommu_platform=on}: the vendor capabilities, the BAR
 * structures, split virtqueues processed through the simulated IOMMU, MSI-X, the wire and faults.
 */
package io.nicup.mock.virtio;
