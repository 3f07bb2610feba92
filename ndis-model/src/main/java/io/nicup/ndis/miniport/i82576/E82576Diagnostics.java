package io.nicup.ndis.miniport.i82576;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.core.RegisterReading;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.miniport.intel.IntelAdapter;
import io.nicup.ndis.miniport.intel.ReceiveQueuePlan;
import io.nicup.ndis.miniport.intel.IntelDiagnostics;
import io.nicup.ndis.miniport.intel.RegisterPatternTest;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.RegisterPoll;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline self-tests of {@code ethtool -t} for the 82576 (Linux igb {@code igb_ethtool.c}:
 * {@code igb_reg_test}, {@code igb_eeprom_test}, {@code igb_intr_test}, {@code igb_loopback_test},
 * {@code igb_link_test}), a named register dump with decoded fields (like {@code ethtool -d}), and the
 * chip counters.
 *
 * <p>Offline means the adapter is Paused (no NDIS traffic): each test takes the rings and the
 * interrupt, and the hardware is reset and programmed again afterwards (as Linux resets between tests),
 * so the adapter can be restarted. Counter increments made by the tests are discarded; the NDIS
 * statistics keep only real traffic.
 *
 * {@snippet :
 * E82576Diagnostics d = E82576Diagnostics.of(host, driver, adapter);   // adapter Paused
 * for (E82576Diagnostics.SelfTestResult r : d.runOffline()) System.out.println(r);   // "PASS nvm: sum=0xBABA"
 * d.registerDump().forEach(System.out::println);                       // "CTRL 0x00000000 = 0x00140241 FD SLU ..."
 * d.counters();                                                         // {GPRC=.., GORC=.., ...}
 * }
 */
public final class E82576Diagnostics extends IntelDiagnostics<Chip82576, E82576Hardware> {

    /**
     * How long an unmasked cause may take to reach its ISR. The chip (and QEMU) signal at once; the 2 s
     * leave room for an interrupt thread descheduled under emulation on a busy host. The wait ends as soon
     * as the vector fires.
     */
    private static final long INTERRUPT_WAIT_NANOS = 2_000_000_000L;
    private E82576Diagnostics(NdisHost host, MiniportAdapter miniportAdapter, IntelAdapter<Chip82576> adapter) {
        super(host, miniportAdapter, adapter, adapter.chip().hardware(), PATTERN_REGS);
    }

    public static E82576Diagnostics of(NdisHost host, Miniport82576 driver, MiniportAdapter a) {
        return new E82576Diagnostics(host, a, driver.adapter(a));
    }

    // ---- register test (Linux igb_reg_test) -----------------------------------------------------

    /**
     * Writable registers with the bits that must hold what was written (Linux igb {@code reg_test_82576},
     * the registers QEMU's igb stores as written).
     */
    private static final RegisterPatternTest.Writable[] PATTERN_REGS = withAddressRows(Regs82576.TIPG, Regs82576::RAL,
            Regs82576::MTA,
            new RegisterPatternTest.Writable("RDBAL0", Regs82576.RDBAL(0), 0xFFFFFF80),
            new RegisterPatternTest.Writable("RDBAH0", Regs82576.RDBAH(0), 0xFFFFFFFF),
            new RegisterPatternTest.Writable("RDLEN0", Regs82576.RDLEN(0), 0x000FFFF0),
            new RegisterPatternTest.Writable("RDH0", Regs82576.RDH(0), 0x0000FFFF),
            new RegisterPatternTest.Writable("TDBAL0", Regs82576.TDBAL(0), 0xFFFFFF80),
            new RegisterPatternTest.Writable("TDBAH0", Regs82576.TDBAH(0), 0xFFFFFFFF),
            new RegisterPatternTest.Writable("TDLEN0", Regs82576.TDLEN(0), 0x000FFFF0),
            new RegisterPatternTest.Writable("TDH0", Regs82576.TDH(0), 0x0000FFFF));

    // ---- interrupt test (Linux igb_intr_test) -----------------------------------------------------

    /**
     * Each cause, masked, must not interrupt; unmasked it must reach the ISR. MSI-X: every queue vector
     * (receive queue 0, transmit, each further receive queue's: docs/ndis-contract.md §21) through EICS with EIMS
     * clear and set, then LSC through ICS with IMS clear and set, which must arrive
     * on the vector IVAR_MISC names. MSI and INTx: TXDW, LSC, RXDMT0 and RXDW through ICS/IMS. Skipped in
     * polling mode.
     */
    @Override
    protected SelfTestResult interruptCases(InterruptMode mode) {
        StringBuilder seen = new StringBuilder();
        if (mode == InterruptMode.MSIX) {
            int[] vectors = new int[1 + adapter.receiveQueues()];
            vectors[0] = IntelAdapter.VECTOR_RX;
            vectors[1] = IntelAdapter.VECTOR_TX;
            for (int q = 1; q < adapter.receiveQueues(); q++) {
                vectors[1 + q] = ReceiveQueuePlan.rxVector(q);
            }
            for (int vector : vectors) {
                int bit = 1 << vector;
                hw.write(Regs82576.EIMC, ~0);
                hw.write(Regs82576.EICR, ~0);
                adapter.clearObservedVectors();
                hw.write(Regs82576.EICS, bit);
                pumpVectors(10_000_000L, bit);
                if ((adapter.observedVectors() & bit) != 0) {
                    return new SelfTestResult("interrupt", Outcome.FAIL, String.format(
                            "masked EICR bit 0x%X interrupted (MSIX)", bit));
                }
                hw.write(Regs82576.EICR, bit);
                adapter.clearObservedVectors();
                hw.write(Regs82576.EIMS, bit);
                hw.write(Regs82576.EICS, bit);
                boolean fired = pumpVectors(INTERRUPT_WAIT_NANOS, bit);
                hw.write(Regs82576.EIMC, ~0);
                if (!fired) {
                    return new SelfTestResult("interrupt", Outcome.FAIL, String.format(
                            "unmasked EICR bit 0x%X did not reach vector %d within %d ms (MSIX; %s)", bit, vector,
                            INTERRUPT_WAIT_NANOS / 1_000_000, interruptState()));
                }
                seen.append(String.format(" vector%d", vector));
            }
            int other = 1 << IntelAdapter.VECTOR_OTHER;
            hw.write(Regs82576.IMC, Icr.ALL);
            clearCauses();
            adapter.clearObservedVectors();
            adapter.clearObservedCauses();
            hw.write(Regs82576.EIMS, other);
            hw.write(Regs82576.ICS, Icr.LSC);
            pumpVectors(10_000_000L, other);
            if ((adapter.observedVectors() & other) != 0) {
                return new SelfTestResult("interrupt", Outcome.FAIL, "masked ICR cause LSC interrupted (MSIX)");
            }
            clearCauses();
            adapter.clearObservedVectors();
            hw.write(Regs82576.IMS, Icr.LSC);
            hw.write(Regs82576.ICS, Icr.LSC);
            // QEMU's EITR timer signals a vector again 50 us after each interrupt: wait for the ISR
            // that read LSC, not for any run of the vector's ISR
            boolean fired = pumpVectors(INTERRUPT_WAIT_NANOS, other, Icr.LSC);
            if (!fired || (adapter.observedCauses() & Icr.LSC) == 0) {
                String state = interruptState();
                hw.write(Regs82576.IMC, Icr.ALL);
                hw.write(Regs82576.EIMC, ~0);
                return new SelfTestResult("interrupt", Outcome.FAIL, String.format(
                        "unmasked ICR cause LSC did not reach vector %d through IVAR_MISC within %d ms (MSIX; %s)",
                        IntelAdapter.VECTOR_OTHER, INTERRUPT_WAIT_NANOS / 1_000_000, state));
            }
            hw.write(Regs82576.IMC, Icr.ALL);
            hw.write(Regs82576.EIMC, ~0);
            seen.append(String.format(" vector%d(LSC)", IntelAdapter.VECTOR_OTHER));
            clearCauses();
            return new SelfTestResult("interrupt", Outcome.PASS, "MSIX: masked causes stayed quiet, unmasked fired:" + seen);
        }
        int[][] cases = {{Icr.TXDW, Icr.TXDW}, {Icr.LSC, Icr.LSC}, {Icr.RXDMT0, Icr.RXDMT0}, {Icr.RXDW, Icr.RXDW}};
        return causeTests(mode, cases, INTERRUPT_WAIT_NANOS, Regs82576.ICS, Regs82576.IMS, Regs82576.IMC,
                this::clearCauses);
    }

    /** What the ISRs saw and the mask registers, for a failure message (reads nothing that clears). */
    private String interruptState() {
        return String.format("vectors_seen=0x%X causes_seen=0x%X IMS=0x%X EIMS=0x%X IVAR_MISC=0x%X GPIE=0x%X",
                adapter.observedVectors(), adapter.observedCauses(), hw.read(Regs82576.IMS), hw.read(Regs82576.EIMS),
                hw.read(Regs82576.IVAR_MISC), hw.read(Regs82576.GPIE));
    }

    private void clearCauses() {
        hw.write(Regs82576.ICR, Icr.ALL);
        hw.read(Regs82576.ICR);
        hw.write(Regs82576.EICR, ~0);
    }

    /** Dispatches interrupts (polled hosts) until an ISR ran for every vector in {@code vectors}. */
    private boolean pumpVectors(long nanos, int vectors) {
        return pumpVectors(nanos, vectors, 0);
    }

    /** Also until the ISRs saw every ICR cause in {@code causes}. */
    private boolean pumpVectors(long nanos, int vectors, int causes) {
        long deadline = clock.nanoTime() + nanos;
        while (true) {
            host.pollInterrupts(miniportAdapter);
            if ((adapter.observedVectors() & vectors) == vectors && (adapter.observedCauses() & causes) == causes) {
                return true;
            }
            if (clock.nanoTime() - deadline >= 0) {
                return false;
            }
            clock.sleepNanos(100_000L);
        }
    }

    // ---- loopback (Linux igb_loopback_test / igb_run_loopback_test) -------------------------

    @Override
    protected void enterLoopback(Loopback kind) {
        hw.write(Regs82576.IMC, Icr.ALL);
        hw.write(Regs82576.EIMC, ~0);
        // QEMU's igb receives (looped frames too) only with STATUS.LU (e1000x_hw_rx_enabled), and after
        // the reset that ends the previous test only autonegotiation brings LU back (~500 ms); a BMCR
        // write without RESTART_AN does not, so the link must be up before the PHY goes into loopback.
        RegisterPoll.until(hw.regs(), clock, "STATUS.LU", Regs82576.STATUS, Status.LU, Status.LU, LINK_WAIT_NANOS);
        int rctl = hw.read(Regs82576.RCTL);
        hw.write(Regs82576.RCTL, rctl | Rctl.EN | Rctl.UPE | Rctl.MPE | Rctl.BAM);
        if (kind == Loopback.PHY) {
            hw.enterPhyLoopback();
        } else {
            int ctrl = hw.read(Regs82576.CTRL) & ~Ctrl.SPD_SEL;
            hw.write(Regs82576.CTRL, ctrl | Ctrl.FRCSPD | Ctrl.FRCDPX | Ctrl.SPD_1000 | Ctrl.FD | Ctrl.SLU);
            hw.setMacLoopback(true);
        }
    }

    // ---- register dump (ethtool -d) ----------------------------------------------------------------

    /** The dump; with {@code readIcr} also ICR and EICR, whose reads clear the pending causes. */
    @Override
    public List<RegisterReading> registerDump(boolean readIcr) {
        List<RegisterReading> out = new ArrayList<>();
        add(out, "CTRL", Regs82576.CTRL, E82576Diagnostics::decodeCtrl);
        add(out, "STATUS", Regs82576.STATUS, E82576Diagnostics::decodeStatus);
        add(out, "EECD", Regs82576.EECD, v -> flags(v, Eecd.PRES, "PRES", Eecd.AUTO_RD, "AUTO_RD")
                + ((v & Eecd.AUTO_RD) == 0 ? " (auto-read not reported; QEMU never sets AUTO_RD)" : ""));
        add(out, "CTRL_EXT", Regs82576.CTRL_EXT, v -> flags(v, E82576Hardware.CTRL_EXT_DRV_LOAD, "DRV_LOAD"));
        add(out, "GPIE", Regs82576.GPIE, v -> flags(v, Gpie.NSICR, "NSICR", Gpie.MSIX_MODE, "MSIX_MODE", Gpie.EIAME,
                "EIAME", Gpie.PBA, "PBA"));
        if (readIcr) {
            add(out, "ICR", Regs82576.ICR, E82576Diagnostics::decodeCauses);
            add(out, "EICR", Regs82576.EICR, E82576Diagnostics::decodeVectors);
        }
        add(out, "IMS", Regs82576.IMS, E82576Diagnostics::decodeCauses);
        add(out, "EIMS", Regs82576.EIMS, E82576Diagnostics::decodeVectors);
        add(out, "EIAC", Regs82576.EIAC, E82576Diagnostics::decodeVectors);
        add(out, "IVAR0", Regs82576.IVAR0(0), E82576Diagnostics::decodeIvar0);
        add(out, "IVAR_MISC", Regs82576.IVAR_MISC, v -> (v >>> 8 & Ivar.VALID) != 0
                ? "OTHER->" + (v >>> 8 & Ivar.VECTOR_MASK) : "");
        add(out, "EITR0", Regs82576.EITR(0), v -> (v & 0x7FFC) == 0 ? "off" : "interval=" + (v & 0x7FFC));
        add(out, "RCTL", Regs82576.RCTL, E82576Diagnostics::decodeRctl);
        add(out, "RLPML", Regs82576.RLPML, v -> "max_frame=" + (v & 0x3FFF));
        add(out, "TCTL", Regs82576.TCTL, E82576Diagnostics::decodeTctl);
        add(out, "SRRCTL0", Regs82576.SRRCTL(0), E82576Diagnostics::decodeSrrctl);
        add(out, "RXDCTL0", Regs82576.RXDCTL(0), E82576Diagnostics::decodeDctl);
        add(out, "TXDCTL0", Regs82576.TXDCTL(0), E82576Diagnostics::decodeDctl);
        add(out, "RDBAL0", Regs82576.RDBAL(0), v -> "");
        add(out, "RDBAH0", Regs82576.RDBAH(0), v -> "");
        add(out, "RDLEN0", Regs82576.RDLEN(0), v -> "descriptors=" + v / AdvRxDescriptor.BYTES);
        add(out, "RDH0", Regs82576.RDH(0), v -> "");
        add(out, "RDT0", Regs82576.RDT(0), v -> "");
        add(out, "TDBAL0", Regs82576.TDBAL(0), v -> "");
        add(out, "TDBAH0", Regs82576.TDBAH(0), v -> "");
        add(out, "TDLEN0", Regs82576.TDLEN(0), v -> "descriptors=" + v / AdvTxDescriptor.BYTES);
        add(out, "TDH0", Regs82576.TDH(0), v -> "");
        add(out, "TDT0", Regs82576.TDT(0), v -> "");
        add(out, "RAL0", Regs82576.RAL(0), v -> "");
        add(out, "RAH0", Regs82576.RAH(0), v -> receiveAddress0());
        return out;
    }

    static String decodeCtrl(int v) {
        String speed = switch (v & Ctrl.SPD_SEL) {
            case Ctrl.SPD_1000 -> "1000";
            case Ctrl.SPD_100 -> "100";
            case 0 -> "10";
            default -> "1000";
        };
        return flags(v, Ctrl.FD, "FD", Ctrl.GIO_MASTER_DISABLE, "GIO_MASTER_DISABLE", Ctrl.LRST, "LRST",
                Ctrl.SLU, "SLU", Ctrl.FRCSPD, "FRCSPD", Ctrl.FRCDPX, "FRCDPX", Ctrl.RST, "RST", Ctrl.RFCE, "RFCE",
                Ctrl.TFCE, "TFCE", Ctrl.VME, "VME", Ctrl.PHY_RST, "PHY_RST") + " SPD=" + speed;
    }

    static String decodeStatus(int v) {
        int s = v & Status.SPEED_MASK;
        String speed = s == 0 ? "10" : s == Status.SPEED_100 ? "100" : "1000";
        return flags(v, Status.FD, "FD", Status.LU, "LU", Status.TXOFF, "TXOFF", Status.PHYRA, "PHYRA",
                Status.GIO_MASTER_ENABLE, "GIO_MASTER_ENABLE") + " SPEED=" + speed;
    }

    static String decodeCauses(int v) {
        return flags(v, Icr.TXDW, "TXDW", Icr.LSC, "LSC", Icr.RXDMT0, "RXDMT0", Icr.RXO, "RXO", Icr.RXDW, "RXDW",
                Icr.MDAC, "MDAC", Icr.DRSTA, "DRSTA", Icr.INT_ASSERTED, "INT_ASSERTED");
    }

    static String decodeVectors(int v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            if ((v & 1 << i) != 0) {
                sb.append(sb.isEmpty() ? "" : " ").append("vector").append(i);
            }
        }
        return sb.toString();
    }

    static String decodeIvar0(int v) {
        StringBuilder sb = new StringBuilder();
        String[] names = {"RXQ0", "TXQ0", "RXQ8", "TXQ8"};
        for (int i = 0; i < names.length; i++) {
            int e = v >>> 8 * i & 0xFF;
            if ((e & Ivar.VALID) != 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(names[i]).append("->").append(e & Ivar.VECTOR_MASK);
            }
        }
        return sb.toString();
    }

    static String decodeSrrctl(int v) {
        int type = (v & Srrctl.DESCTYPE_MASK) >>> 25;
        return "BSIZEPKT=" + (v & Srrctl.BSIZEPKT_MASK) * 1024 + " DESCTYPE=" + (type == 1 ? "ADV_ONEBUF" : type == 0
                ? "LEGACY" : Integer.toString(type)) + ((v & Srrctl.DROP_EN) != 0 ? " DROP_EN" : "");
    }

    static String decodeDctl(int v) {
        return ((v & Rxdctl.ENABLE) != 0 ? "ENABLE " : "") + "PTHRESH=" + (v & 0x1F) + " HTHRESH=" + (v >>> 8 & 0x1F)
                + " WTHRESH=" + (v >>> 16 & 0x1F);
    }

    static String decodeRctl(int v) {
        String lbm = (v & Rctl.LBM_MASK) == Rctl.LBM_MAC ? " LBM=MAC" : (v & Rctl.LBM_MASK) != 0 ? " LBM=TCVR" : "";
        return flags(v, Rctl.EN, "EN", Rctl.SBP, "SBP", Rctl.UPE, "UPE", Rctl.MPE, "MPE", Rctl.LPE, "LPE", Rctl.BAM, "BAM",
                Rctl.VFE, "VFE", Rctl.SECRC, "SECRC") + lbm + " MO=" + (v >>> Rctl.MO_SHIFT & 3);
    }

    static String decodeTctl(int v) {
        return flags(v, Tctl.EN, "EN", Tctl.PSP, "PSP", Tctl.RTLC, "RTLC") + " CT=" + ((v & Tctl.CT_MASK) >>> Tctl.CT_SHIFT)
                + " COLD=" + ((v & Tctl.COLD_MASK) >>> Tctl.COLD_SHIFT);
    }
}
