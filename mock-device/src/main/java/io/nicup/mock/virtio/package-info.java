/**
 * A behavioural model of a virtio-net 1.x device on the modern virtio PCI transport, after QEMU 7.2's
 * virtio-net-pci with {@code disable-legacy=on,iommu_platform=on}: the vendor capabilities, the BAR
 * structures, split virtqueues processed through the simulated IOMMU, MSI-X, the wire and faults.
 * Open it as {@code mock:virtio-net[?mac=..&fault=NAME[@N],..&after=N]}.
 *
 * <h2>Faults ({@link io.nicup.mock.virtio.VirtioNetFault})</h2>
 * <table>
 * <caption>What each fault does and what a driver is expected to do about it</caption>
 * <tr><th>fault</th><th>device behaviour</th><th>what the miniport does</th></tr>
 * <tr><td>reset-stuck</td><td>a write of 0 to device_status never completes (reads 0x03)</td>
 *     <td>initialization fails naming device_status, mask and last value; everything released</td></tr>
 * <tr><td>features-rejected</td><td>FEATURES_OK is never kept</td>
 *     <td>initialization fails at step 6 of 3.1.1 naming the features; FAILED is set</td></tr>
 * <tr><td>no-optional-features</td><td>offers VERSION_1 only</td>
 *     <td>runs without MAC (random local address), STATUS (link always up), control queue (filter in
 *     software); interrupt and link self-tests SKIPPED</td></tr>
 * <tr><td>msix-no-vector</td><td>config_msix_vector and queue_msix_vector read back NO_VECTOR</td>
 *     <td>gives the MSI-X set back and polls</td></tr>
 * <tr><td>link-down</td><td>status never shows LINK_UP</td><td>link indicated down; sends wait; link
 *     self-test FAILs</td></tr>
 * <tr><td>link-flap@N</td><td>LINK_UP drops every N frames for 10 ms, each change a configuration
 *     interrupt</td><td>indicates each change; queued sends go when the link returns</td></tr>
 * <tr><td>tx-hang@N</td><td>the transmit used ring stops after N frames until a reset</td>
 *     <td>CheckForHang reports it, MiniportResetEx resets and re-initializes; no frame sent twice</td></tr>
 * <tr><td>rx-length@N</td><td>used.len of frame N+1 exceeds its buffer</td>
 *     <td>drops and counts it (rxq0_length_errors, ifInErrors), reposts the buffer</td></tr>
 * <tr><td>all-ones@N</td><td>surprise removal: every read returns all ones</td>
 *     <td>CheckForHang reports it; the reset fails with HARD_ERRORS; pause completes the sends the
 *     device held</td></tr>
 * <tr><td>irq-storm@N</td><td>the configuration interrupt re-fires every 100 us forever</td>
 *     <td>keeps servicing queues; link state unchanged</td></tr>
 * <tr><td>dma-fault@N</td><td>received frame N+1 is written outside any mapping (IOMMU fault), then
 *     DEVICE_NEEDS_RESET as QEMU's virtio_error</td><td>CheckForHang, reset; the held frames arrive</td></tr>
 * <tr><td>device-needs-reset@N</td><td>DEVICE_NEEDS_RESET after N frames with a configuration
 *     interrupt; queues stop</td><td>CheckForHang, reset; traffic resumes</td></tr>
 * </table>
 */
package io.nicup.mock.virtio;
