package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.core.RegisterReading;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.miniport.intel.IntelDiagnostics;
import io.nicup.ndis.miniport.intel.RegisterPatternTest;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterPoll;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline self-tests of {@code ethtool -t} for the 82574L (Linux e1000e {@code ethtool.c}:
 * {@code e1000_reg_test}, {@code e1000_eeprom_test}, {@code e1000_intr_test}, {@code e1000_loopback_test},
 * {@code e1000_link_test}), a named register dump with decoded fields (like {@code ethtool -d}), and the
 * chip counters.
 *
 * <p>Offline means the adapter is Paused (no NDIS traffic): each test takes the rings and the
 * interrupt, and the hardware is reset and programmed again afterwards (as Linux resets between tests),
 * so the adapter can be restarted. Counter increments made by the tests are discarded; the NDIS
 * statistics keep only real traffic.
 *
 * {@snippet :
 * E82574Diagnostics d = E82574Diagnostics.of(host, driver, adapter);   // adapter Paused
 * for (E82574Diagnostics.SelfTestResult r : d.runOffline()) System.out.println(r);   // "PASS nvm: sum=0xBABA"
 * d.registerDump().forEach(System.out::println);                       // "CTRL 0x00000000 = 0x00140241 FD SLU ..."
 * d.counters();                                                         // {GPRC=.., GORC=.., ...}
 * }
 */
public final class E82574Diagnostics extends IntelDiagnostics<Chip82574, E82574Hardware> {

    private static final long WAIT_NANOS = 500_000_000L;
    private E82574Diagnostics(NdisHost host, MiniportAdapter miniportAdapter, IntelAdapter<Chip82574> adapter) {
        super(host, miniportAdapter, adapter, adapter.chip().hardware(), PATTERN_REGS);
    }

    public static E82574Diagnostics of(NdisHost host, Miniport82574 driver, MiniportAdapter a) {
        return new E82574Diagnostics(host, a, driver.adapter(a));
    }

    // ---- register test (Linux e1000_reg_test) -----------------------------------------------------

    /** Writable registers with the bits that must hold what was written (Linux's table for 82574). */
    private static final RegisterPatternTest.Writable[] PATTERN_REGS = withAddressRows(Regs82574.TIPG, Regs82574::RAL,
            Regs82574::MTA,
            new RegisterPatternTest.Writable("RDTR", Regs82574.RDTR, 0x0000FFFF),
            new RegisterPatternTest.Writable("RDBAH", Regs82574.RDBAH(0), 0xFFFFFFFF),
            new RegisterPatternTest.Writable("RDLEN", Regs82574.RDLEN(0), 0x000FFF80),
            new RegisterPatternTest.Writable("RDH", Regs82574.RDH(0), 0x0000FFFF),
            new RegisterPatternTest.Writable("TDBAH", Regs82574.TDBAH(0), 0xFFFFFFFF),
            new RegisterPatternTest.Writable("TDLEN", Regs82574.TDLEN(0), 0x000FFF80),
            new RegisterPatternTest.Writable("TDH", Regs82574.TDH(0), 0x0000FFFF));

    // ---- interrupt test (Linux e1000_intr_test) ---------------------------------------------------

    /**
     * For each cause: with the cause masked, setting it through ICS must not interrupt; unmasked, it must
     * reach the ISR (with MSI-X, on the vector IVAR routes it to: RXQ1 only on receive queue 1's vector, whose
     * ISR alone hands RXQ1 on, docs/ndis-contract.md §21). Skipped in polling mode.
     */
    @Override
    protected SelfTestResult interruptCases(InterruptMode mode) {
        int[][] msix = adapter.receiveQueues() > 1
                ? new int[][] {{Icr.RXQ0, Icr.RXQ0}, {Icr.RXQ1, Icr.RXQ1}, {Icr.TXQ0, Icr.TXQ0},
                    {Icr.LSC, Icr.LSC | Icr.OTHER}}
                : new int[][] {{Icr.RXQ0, Icr.RXQ0}, {Icr.TXQ0, Icr.TXQ0}, {Icr.LSC, Icr.LSC | Icr.OTHER}};
        int[][] cases = mode == InterruptMode.MSIX ? msix
                : new int[][] {{Icr.TXDW, Icr.TXDW}, {Icr.LSC, Icr.LSC}, {Icr.RXSEQ, Icr.RXSEQ}, {Icr.RXT0, Icr.RXT0}};
        return causeTests(mode, cases, WAIT_NANOS, Regs82574.ICS, Regs82574.IMS, Regs82574.IMC, this::clearCauses);
    }

    private void clearCauses() {
        hw.write(Regs82574.ICR, Icr.ALL);
        hw.read(Regs82574.ICR);
    }

    // ---- loopback (Linux e1000_loopback_test / e1000_run_loopback_test) -------------------------

    @Override
    protected void enterLoopback(Loopback kind) {
        hw.write(Regs82574.IMC, Icr.ALL);
        int rctl = hw.read(Regs82574.RCTL);
        hw.write(Regs82574.RCTL, rctl | Rctl.EN | Rctl.UPE | Rctl.MPE | Rctl.BAM);
        if (kind == Loopback.PHY) {
            hw.enterPhyLoopback();
        } else {
            int ctrl = hw.read(Regs82574.CTRL) & ~Ctrl.SPD_SEL;
            hw.write(Regs82574.CTRL, ctrl | Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_1000 | Ctrl.FD | Ctrl.SLU);
            hw.setMacLoopback(true);
        }
        // QEMU receives (looped frames too) only with STATUS.LU (e1000x_rx_ready, docs/hardware-reference.md B.6); after
        // the reset that ends the previous test, autonegotiation keeps the link down for ~500 ms.
        RegisterPoll.until(hw.regs(), clock, "STATUS.LU", Regs82574.STATUS, Status.LU, Status.LU, LINK_WAIT_NANOS);
    }

    // ---- register dump (ethtool -d) ----------------------------------------------------------------

    /** The dump; with {@code readIcr} also ICR, whose read clears the pending causes. */
    @Override
    public List<RegisterReading> registerDump(boolean readIcr) {
        List<RegisterReading> out = new ArrayList<>();
        add(out, "CTRL", Regs82574.CTRL, E82574Diagnostics::decodeCtrl);
        add(out, "STATUS", Regs82574.STATUS, E82574Diagnostics::decodeStatus);
        add(out, "EECD", Regs82574.EECD, v -> flags(v, Eecd.PRES, "PRES", Eecd.AUTO_RD, "AUTO_RD"));
        add(out, "CTRL_EXT", Regs82574.CTRL_EXT, v -> flags(v, E82574Hardware.CTRL_EXT_DRV_LOAD, "DRV_LOAD"));
        if (readIcr) {
            add(out, "ICR", Regs82574.ICR, E82574Diagnostics::decodeCauses);
        }
        add(out, "IMS", Regs82574.IMS, E82574Diagnostics::decodeCauses);
        add(out, "IVAR", Regs82574.IVAR, E82574Diagnostics::decodeIvar);
        add(out, "ITR", Regs82574.ITR, v -> v == 0 ? "off" : String.format("interval=%dns (~%d/s)", v * 256L,
                1_000_000_000L / (v * 256L)));
        add(out, "RCTL", Regs82574.RCTL, E82574Diagnostics::decodeRctl);
        add(out, "RFCTL", Regs82574.RFCTL, v -> flags(v, Rfctl.EXTEN, "EXTEN"));
        add(out, "TCTL", Regs82574.TCTL, E82574Diagnostics::decodeTctl);
        add(out, "TIPG", Regs82574.TIPG, v -> String.format("IPGT=%d IPGR1=%d IPGR2=%d", v & 0x3FF, v >>> 10 & 0x3FF,
                v >>> 20 & 0x3FF));
        add(out, "TARC0", Regs82574.TARC(0), v -> flags(v, Tarc.ENABLE, "ENABLE(bit10)")
                + ((v & Tarc.ENABLE) == 0 ? " (QEMU will not transmit)" : ""));
        add(out, "RDBAL", Regs82574.RDBAL(0), v -> "");
        add(out, "RDBAH", Regs82574.RDBAH(0), v -> "");
        add(out, "RDLEN", Regs82574.RDLEN(0), v -> "descriptors=" + v / 16);
        add(out, "RDH", Regs82574.RDH(0), v -> "");
        add(out, "RDT", Regs82574.RDT(0), v -> "");
        add(out, "TDBAL", Regs82574.TDBAL(0), v -> "");
        add(out, "TDBAH", Regs82574.TDBAH(0), v -> "");
        add(out, "TDLEN", Regs82574.TDLEN(0), v -> "descriptors=" + v / 16);
        add(out, "TDH", Regs82574.TDH(0), v -> "");
        add(out, "TDT", Regs82574.TDT(0), v -> "");
        add(out, "RAL0", Regs82574.RAL(0), v -> "");
        add(out, "RAH0", Regs82574.RAH(0), v -> receiveAddress0());
        add(out, "PBA", Regs82574.PBA, v -> String.format("RXA=%dKB TXA=%dKB", v & 0xFFFF, v >>> 16));
        return out;
    }

    static String decodeCtrl(int v) {
        String speed = switch (v & Ctrl.SPD_SEL) {
            case Ctrl.SPD_1000 -> "1000";
            case Ctrl.SPD_100 -> "100";
            case 0 -> "10";
            default -> "1000";
        };
        return flags(v, Ctrl.FD, "FD", Ctrl.GIO_MASTER_DISABLE, "GIO_MASTER_DISABLE", Ctrl.LRST, "LRST", Ctrl.ASDE,
                "ASDE", Ctrl.SLU, "SLU", Ctrl.FRCSPD, "FRCSPD", Ctrl.FRCDPX, "FRCDPX", Ctrl.RST, "RST", Ctrl.RFCE, "RFCE",
                Ctrl.TFCE, "TFCE", Ctrl.VME, "VME", Ctrl.PHY_RST, "PHY_RST") + " SPD=" + speed;
    }

    static String decodeStatus(int v) {
        int s = v & Status.SPEED_MASK;
        String speed = s == 0 ? "10" : s == 0x40 ? "100" : "1000";
        return flags(v, Status.FD, "FD", Status.LU, "LU", Status.TXOFF, "TXOFF", Status.PHYRA, "PHYRA",
                Status.GIO_MASTER_ENABLE, "GIO_MASTER_ENABLE") + " SPEED=" + speed;
    }

    static String decodeCauses(int v) {
        return flags(v, Icr.TXDW, "TXDW", Icr.TXQE, "TXQE", Icr.LSC, "LSC", Icr.RXSEQ, "RXSEQ", Icr.RXDMT0, "RXDMT0",
                Icr.RXO, "RXO", Icr.RXT0, "RXT0", Icr.MDAC, "MDAC", Icr.RXQ0, "RXQ0", Icr.RXQ1, "RXQ1", Icr.TXQ0, "TXQ0",
                Icr.TXQ1, "TXQ1", Icr.OTHER, "OTHER", Icr.INT_ASSERTED, "INT_ASSERTED");
    }

    static String decodeIvar(int v) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"RXQ0", "RXQ1", "TXQ0", "TXQ1", "OTHER"};
        for (int i = 0; i < names.length; i++) {
            int e = v >>> 4 * i & 0xF;
            if ((e & Ivar.VALID) != 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(names[i]).append("->").append(e & Ivar.VECTOR_MASK);
            }
        }
        if ((v & Ivar.TX_INT_EVERY_WB) != 0) {
            sb.append(" TX_INT_EVERY_WB");
        }
        return sb.toString();
    }

    static String decodeRctl(int v) {
        int bsize = v & Rctl.BSIZE_MASK;
        int size = 2048 >> (bsize >>> 16);
        if ((v & Rctl.BSEX) != 0) {
            size = switch (bsize) {
                case 0x10000 -> 16384;
                case 0x20000 -> 8192;
                case 0x30000 -> 4096;
                default -> 0;
            };
        }
        String lbm = (v & Rctl.LBM_TCVR) == Rctl.LBM_MAC ? " LBM=MAC" : (v & Rctl.LBM_TCVR) != 0 ? " LBM=TCVR" : "";
        return flags(v, Rctl.EN, "EN", Rctl.SBP, "SBP", Rctl.UPE, "UPE", Rctl.MPE, "MPE", Rctl.LPE, "LPE", Rctl.BAM, "BAM",
                Rctl.VFE, "VFE", Rctl.SECRC, "SECRC") + lbm + " BSIZE=" + size + " MO=" + (v >>> Rctl.MO_SHIFT & 3);
    }

    static String decodeTctl(int v) {
        return flags(v, Tctl.EN, "EN", Tctl.PSP, "PSP", Tctl.RTLC, "RTLC") + " CT=" + ((v & Tctl.CT_MASK) >>> Tctl.CT_SHIFT)
                + " COLD=" + ((v & Tctl.COLD_MASK) >>> Tctl.COLD_SHIFT);
    }
}
