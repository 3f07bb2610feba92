/**
 * What the Intel e1000-family models (82574L in {@code e82574}, 82576 in {@code e82576}) share because
 * the chips share it, as QEMU's {@code e1000x_*} helpers (hw/net/e1000x_common.c) do for e1000e and
 * igb.
 *
 * <p>The engines: {@link io.nicup.mock.intel.IntelTransmitter} (transmit ring walk and frames),
 * {@link io.nicup.mock.intel.IntelReceiver} (receive path, packet buffer, descriptors),
 * {@link io.nicup.mock.intel.IntelLink} (carrier, autonegotiation, STATUS.LU),
 * {@link io.nicup.mock.intel.IntelMdic} (PHY access), {@link io.nicup.mock.intel.IntelNvmPort} (software
 * reset, NVM auto-read, EERD/EEWR) and {@link io.nicup.mock.intel.IntelTrafficFaults}, over the shared
 * state {@link io.nicup.mock.intel.IntelCore} and wired by {@link io.nicup.mock.intel.IntelModel}; what both
 * chips' register files do alike is {@link io.nicup.mock.intel.IntelRegisterFile}. A
 * chip supplies what differs through small hooks ({@code IntelTransmitter.Chip},
 * {@code IntelReceiver.Chip}, {@link io.nicup.mock.intel.IntelPhy}, {@code IntelMdic.Chip},
 * {@code IntelNvmPort.Chip}, {@code IntelModel.Parts}, {@code IntelModel.RegisterFile}), and the offsets
 * and bits the engines use through an {@link io.nicup.mock.intel.IntelLayout} built from its own
 * register map ({@code Regs.LAYOUT}), so each chip's offsets stay written independently of the driver's.
 *
 * <p>Building blocks: the kinds of BAR0 registers (plain, read-only, clear-on-read, special), the
 * statistics block and its update rules, the receive address filter, buffer sizes and packet buffer,
 * the EERD and MDIC layouts, the standard MII registers ({@link io.nicup.mock.intel.MiiPhy}), and the
 * NVM image around its checksum word.
 */
package io.nicup.mock.intel;
