/**
 * The Intel 82574L (e1000e) data path: register offsets and bits ({@link
 * io.nicup.ndis.miniport.i82574.Regs82574} and the per-register bit classes), the legacy descriptor
 * layouts, and the transmit/receive rings with their packet buffer pool. The 82574L miniport (adapter
 * initialisation, OIDs, NET_BUFFER_LIST plumbing) is built on top of these classes.
 *
 * <p>Facts come from {@code /work/shared/reference/vfio-82574l-virtio-qemu.md} section B, cited as
 * "reference B.n" in the comments.
 */
package io.nicup.ndis.miniport.i82574;
