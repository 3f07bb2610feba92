/**
 * What the Intel e1000-family models (82574L in {@code e82574}, 82576 in {@code e82576}) share because
 * the chips share it, as QEMU's {@code e1000x_*} helpers (hw/net/e1000x_common.c) do for e1000e and
 * igb: the kinds of BAR0 registers (plain, read-only, clear-on-read, special), the statistics block and
 * its update rules, the receive address filter, buffer sizes and packet buffer, the EERD and MDIC
 * layouts, and the NVM image around its checksum word. What differs between the chips stays in each
 * model.
 */
package io.nicup.mock.intel;
