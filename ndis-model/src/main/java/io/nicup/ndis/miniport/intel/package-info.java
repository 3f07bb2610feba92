/**
 * What the Intel miniports (82574L, {@link io.nicup.ndis.miniport.i82574}, and 82576,
 * {@link io.nicup.ndis.miniport.i82576}) share on the NDIS side of their descriptor rings. The chip side
 * (register programming, descriptor formats, interrupt causes) stays in each family's package; the
 * classes here work on plain arrays, so that every ring call stays in the chip's own adapter with one
 * ring type per call site.
 */
package io.nicup.ndis.miniport.intel;
