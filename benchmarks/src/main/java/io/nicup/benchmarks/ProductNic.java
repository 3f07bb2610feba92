package io.nicup.benchmarks;

import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.miniport.i82574.Miniport82574;
import io.nicup.ndis.miniport.i82574.Regs82574;
import io.nicup.ndis.miniport.i82576.Miniport82576;
import io.nicup.ndis.miniport.i82576.Regs82576;
import java.util.function.Supplier;

/**
 * The product's Intel families as {@link ProductPath} brings them up: the simulated device to initialize
 * on, the miniport, where queue 0's rings and doorbells are, and the descriptor layout {@link BenchDevice}
 * writes back.
 */
enum ProductNic {
    I82574L("mock:82574L", Miniport82574::new, BenchDevice.Layout.EXTENDED_82574, Regs82574.TDBAL(0),
            Regs82574.TDBAH(0), Regs82574.TDLEN(0), Regs82574.RDBAL(0), Regs82574.RDBAH(0), Regs82574.RDLEN(0),
            Regs82574.CTRL, Regs82574.STATUS),
    I82576("mock:82576", Miniport82576::new, BenchDevice.Layout.ADVANCED_82576, Regs82576.TDBAL(0),
            Regs82576.TDBAH(0), Regs82576.TDLEN(0), Regs82576.RDBAL(0), Regs82576.RDBAH(0), Regs82576.RDLEN(0),
            Regs82576.CTRL, Regs82576.STATUS);

    final String spec;
    final Supplier<NicDriver> driver;
    final BenchDevice.Layout layout;
    final long tdbal;
    final long tdbah;
    final long tdlen;
    final long rdbal;
    final long rdbah;
    final long rdlen;
    /** What the hand-over copies from the simulated device: the doorbells, heads, ring bases, control, status. */
    final long[] dataPathRegisters;

    ProductNic(String spec, Supplier<NicDriver> driver, BenchDevice.Layout layout, long tdbal, long tdbah, long tdlen,
            long rdbal, long rdbah, long rdlen, long ctrl, long status) {
        this.spec = spec;
        this.driver = driver;
        this.layout = layout;
        this.tdbal = tdbal;
        this.tdbah = tdbah;
        this.tdlen = tdlen;
        this.rdbal = rdbal;
        this.rdbah = rdbah;
        this.rdlen = rdlen;
        this.dataPathRegisters = new long[] {layout.tdt(), layout.tdh(), layout.rdt(), layout.rdh(), tdbal, tdbah,
                tdlen, rdbal, rdbah, rdlen, ctrl, status};
    }

    /** The {@code nic} benchmark parameter: "82574L" or "82576". */
    static ProductNic of(String name) {
        return switch (name) {
            case "82574L" -> I82574L;
            case "82576" -> I82576;
            default -> throw new IllegalArgumentException("unknown product NIC: nic=" + name + " (82574L, 82576)");
        };
    }
}
