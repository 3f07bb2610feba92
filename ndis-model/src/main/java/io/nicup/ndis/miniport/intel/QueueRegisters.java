package io.nicup.ndis.miniport.intel;

/**
 * The BAR0 offsets of one queue's descriptor-ring registers: base address low/high, length in bytes,
 * head and tail. The 82574L names them TDBAL/TDBAH/TDLEN/TDH/TDT (RDBAL... for receive) as the 82576
 * does; only the offsets differ between the families, so each family computes them from its own
 * register map.
 */
public record QueueRegisters(long baseLow, long baseHigh, long length, long head, long tail) {
}
