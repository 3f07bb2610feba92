package io.nicup.ndis.miniport.intel;

/**
 * The BAR0 offsets of one queue's descriptor-ring registers: base address low/high, length in bytes,
 * head and tail. The 82574L names them TDBAL/TDBAH/TDLEN/TDH/TDT (RDBAL... for receive) as the 82576
 * does; only the offsets differ between the families, so each family computes them from its own
 * register map.
 */
public record QueueRegisters(long baseLow, long baseHigh, long length, long head, long tail) {

    /**
     * A queue's registers from its base-low offset: both chips place base high, length, head and tail at
     * +0x04, +0x08, +0x10 and +0x18 from it (82574 datasheet 10.2.6-10.2.7, 82576 datasheet 8.10 and 8.12;
     * Linux {@code E1000_RDBAL(n)} .. {@code E1000_TDT(n)}).
     */
    public static QueueRegisters at(long baseLow) {
        return new QueueRegisters(baseLow, baseLow + 0x04, baseLow + 0x08, baseLow + 0x10, baseLow + 0x18);
    }
}
