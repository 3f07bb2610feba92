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
 *
 * <h2>Hostile faults</h2>
 * <p>The device writes something a conforming device never writes (virtio 1.2, 2.7.8 for the used ring,
 * 4.1.4 for the vendor capabilities). Each used-ring fault fires once; the device then stops every queue
 * until it is reset, so the one buffer the bad element returned is all that is lost. The driver checks
 * every used index, id and length before it uses them, reads nothing outside its own buffers, indicates
 * or completes no NBL twice and leaves every frame accounted for. A length it drops and counts; a used ring
 * that breaks the protocol it stops reading, as Linux's virtio_ring marks a queue broken, and resets the
 * device (virtio 1.2, 2.1: the driver's way out of a device error) through MiniportCheckForHangEx and
 * MiniportResetEx, writing one line to the NDIS error log.
 * <table>
 * <caption>The hostile faults and the miniport's documented reaction</caption>
 * <tr><th>fault</th><th>device behaviour</th><th>what the miniport does</th></tr>
 * <tr><td>rx-length@N</td><td>used.len of frame N+1 exceeds its buffer</td>
 *     <td>drops and counts it (rxq0_length_errors, ifInErrors), reposts the buffer; no reset</td></tr>
 * <tr><td>rx-length-zero@N</td><td>used.len of frame N+1 is 0</td><td>the same as rx-length</td></tr>
 * <tr><td>used-idx-jump@N</td><td>with frame N+1 receiveq1's used.idx jumps a queue size ahead</td>
 *     <td>takes nothing from the ring (no entry under a corrupt index can be trusted), counts one
 *     rxq0_ring_errors (ifInErrors), logs, resets; frames the device had returned but the driver not yet
 *     taken are lost with the ring, the held ones arrive after the reset</td></tr>
 * <tr><td>used-id-range@N</td><td>frame N+1 comes back under id = queue size</td>
 *     <td>takes the entries before it, counts one ring error, logs, resets; that frame is lost</td></tr>
 * <tr><td>used-id-duplicate@N</td><td>frame N+1's buffer comes back in two elements</td>
 *     <td>indicates the frame once, counts the second element as a ring error, logs, resets</td></tr>
 * <tr><td>used-id-not-head@N</td><td>transmitted frame N+1 is sent, then returned under its second
 *     descriptor</td><td>completes what was used before it, counts txq0_errors (ifOutErrors), logs,
 *     resets; the sends that were in the ring are completed NDIS_STATUS_FAILURE (the device may have sent
 *     them, so none is sent twice), those still queued go out after the reset</td></tr>
 * <tr><td>tx-first-buffer-only</td><td>a transmit chain with several data descriptors after its header is
 *     sent with the first one's bytes only</td><td>nothing (the device used the chain): the frame on the
 *     wire is short, which send-shapes reports (docs/ndis-contract.md §16.5)</td></tr>
 * <tr><td>vendor-cap-bar-missing, vendor-cap-beyond-bar</td><td>COMMON_CFG names BAR5 / runs past BAR4</td>
 *     <td>ignores the capability (4.1.4); with no usable COMMON_CFG left, MiniportInitializeEx fails with
 *     FAILURE naming it, nothing mapped or allocated</td></tr>
 * <tr><td>registers-all-ones@N, registers-random@N</td><td>from BAR4 read N+1 on every read is all ones /
 *     noise</td><td>MiniportInitializeEx fails with FAILURE and the one reason it saw (a reset that never
 *     reads 0, no VERSION_1, a status or MSI-X vector no one wrote, a queue size above 32768, a MAC that is
 *     not unicast), everything released; while running, CheckForHang's device_status read asks for a
 *     reset, and a reset that never reads 0 fails: the driver stops touching the device, every send
 *     completed (docs/ndis-contract.md §13.1)</td></tr>
 * <tr><td>config-generation-unstable@N</td><td>config_generation moves on every read</td><td>the MAC or
 *     link read gives up after 16 tries: initialization fails; while running the configuration change
 *     asks for a reset, which fails with the same reason</td></tr>
 * <tr><td>queue-size-bad@N</td><td>queue_size reads 384, 40000, 0</td><td>384 is taken down to 256;
 *     40000 fails initialization (no split virtqueue is above 32768); 0 fails it (queue not available)</td></tr>
 * <tr><td>num-queues-zero@N</td><td>num_queues reads 0</td><td>initialization fails: too few queues</td></tr>
 * <tr><td>status-garbage@N</td><td>device_status shows DEVICE_NEEDS_RESET and bit 5, loses FEATURES_OK
 *     </td><td>the re-read after FEATURES_OK or DRIVER_OK fails initialization naming read and written
 *     value; while running a reset, which never reads 0, fails and stops the driver</td></tr>
 * <tr><td>isr-garbage@N</td><td>every ISR read shows reserved bits 2-7 and a configuration change</td>
 *     <td>read only while polling (no MSI-X vector): the reserved bits are ignored, each claimed change
 *     costs a device_status and link read that find nothing wrong; no reset, frames flow</td></tr>
 * <tr><td>cap-loop, cap-outside, cap-into-header, ext-cap-loop, ext-cap-outside, msix-bar-missing,
 *     msix-overlap, msix-beyond-bar ({@link io.nicup.mock.ConfigFault}, every model)</td><td>a malformed
 *     configuration space</td><td>MiniportInitializeEx fails with FAILURE and a one-line reason before
 *     anything is mapped or allocated</td></tr>
 * <tr><td>rss-table-limit ({@code rss=on})</td><td>RSS_CONFIG with more than 16 table entries is refused,
 *     though the configuration space says 128</td><td>the OID fails with FAILURE and the previous
 *     configuration is sent back (docs/hardware-reference.md C.10)</td></tr>
 * <tr><td>hash-report-wrong ({@code rss=on})</td><td>every reported hash_value has its lowest bit
 *     flipped</td><td>nothing to see: the NBLs carry the device's hash, which the rss check and
 *     {@code recv --rss} find wrong</td></tr>
 * <tr><td>mq-refused@N, mq-refused-always@N ({@code rss=on})</td><td>after N accepted MQ commands every
 *     further one is refused and leaves RSS off (until a reset, or for good)</td><td>a refused set whose
 *     rollback is refused too: the OID fails with FAILURE, the next CheckForHang asks for a reset, which sends
 *     the configuration in force again; refused after the reset too: the reset completes HARD_ERRORS
 *     (docs/hardware-reference.md C.10)</td></tr>
 * </table>
 */
package io.nicup.mock.virtio;
