/**
 * The virtio-net miniport for the modern virtio 1.x PCI transport (1AF4:1041). The driver is
 * {@link io.nicup.ndis.miniport.virtio.MiniportVirtioNet}; each adapter is a
 * {@link io.nicup.ndis.miniport.virtio.VirtioNetAdapter}, a small class that wires the parts below and
 * follows the NDIS lifecycle (the documented init order, release in reverse):
 * <ul>
 *   <li>transport and bring-up: {@link io.nicup.ndis.miniport.virtio.VirtioPciCap} (the capability walk),
 *       {@link io.nicup.ndis.miniport.virtio.VirtioTransport} (the four structures, field widths, doorbells,
 *       the generation rule), {@link io.nicup.ndis.miniport.virtio.VirtioDevice} (BAR mappings, reset, the
 *       status handshake, feature negotiation, the MAC);</li>
 *   <li>the virtqueues: {@link io.nicup.ndis.miniport.virtio.SplitRing} over the
 *       {@link io.nicup.ndis.miniport.virtio.Virtq} layout;
 *       {@link io.nicup.ndis.miniport.virtio.VirtioQueues} allocates and sets them up and routes their
 *       MSI-X vectors; {@link io.nicup.ndis.miniport.virtio.VirtioRxQueue} and
 *       {@link io.nicup.ndis.miniport.virtio.VirtioTxQueue} work receiveq1 and transmitq1;
 *       {@link io.nicup.ndis.miniport.virtio.ControlQueue} sends the packet filter, MAC table and RSS / hash
 *       configuration commands;</li>
 *   <li>offloads: {@link io.nicup.ndis.miniport.virtio.VirtioOffload} (checksum and segmentation,
 *       docs/hardware-reference.md C.9) and {@link io.nicup.ndis.miniport.virtio.VirtioReceiveScale} (RSS and
 *       hash report over one queue pair, docs/hardware-reference.md C.10), both under the shared
 *       {@link io.nicup.ndis.miniport.core.OffloadOids};</li>
 *   <li>the NDIS side: {@link io.nicup.ndis.miniport.core.NdisDataPath} (send, completions, receive
 *       indication and return, the pause drain), {@link io.nicup.ndis.miniport.virtio.ReceiveFilter} (the
 *       packet filter's last word), {@link io.nicup.ndis.miniport.virtio.VirtioOids},
 *       {@link io.nicup.ndis.miniport.virtio.VirtioLink} (link and configuration changes, indicated through
 *       {@link io.nicup.ndis.miniport.core.LinkIndications}),
 *       {@link io.nicup.ndis.miniport.virtio.VirtioInterrupts} (ISR, DPC, the poll timer),
 *       {@link io.nicup.ndis.miniport.virtio.VirtioRecovery} (CheckForHang and reset) and
 *       {@link io.nicup.ndis.miniport.virtio.DeviceHealth} (a reset needed, or the device surprise-removed);</li>
 *   <li>bring-up diagnostics: {@link io.nicup.ndis.miniport.virtio.VirtioNetDiagnostics}.</li>
 * </ul>
 * What the device writes is input: the configuration space is checked before a capability is used
 * ({@link io.nicup.ndis.miniport.core.ConfigSpaceCheck}, and a vendor capability whose structure lies
 * outside a BAR is ignored), and every used index, id and length is checked before it is used; a used
 * ring that breaks the protocol is read no further, counted, logged and ended by a device reset
 * ({@link io.nicup.ndis.miniport.virtio.VirtioRxQueue}, {@link io.nicup.ndis.miniport.virtio.VirtioTxQueue},
 * {@link io.nicup.ndis.miniport.virtio.DeviceHealth#ringViolation}).
 *
 * <p>Layouts and register names follow the virtio 1.2 specification; section numbers in comments are its.
 */
package io.nicup.ndis.miniport.virtio;
