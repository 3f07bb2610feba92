package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.core.DiagnosticsException;
import io.nicup.ndis.miniport.core.LedIdentify;
import io.nicup.ndis.miniport.core.NicDiagnostics;
import io.nicup.ndis.miniport.core.NvmImage;
import io.nicup.ndis.miniport.core.PhyDump;
import io.nicup.ndis.miniport.core.RegisterReading;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.vfio.DeviceClock;
import io.nicup.vfio.RegisterTimeoutException;
import java.time.Duration;
import io.nicup.vfio.InterruptMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * The offline self-tests of {@code ethtool -t} on an Intel adapter (Linux e1000e {@code ethtool.c} and igb
 * {@code igb_ethtool.c}: the register, EEPROM, interrupt, loopback and link tests), a named register dump
 * with decoded fields (like {@code ethtool -d}), and the chip counters. What the chips share is here; each
 * chip's diagnostics supply its register table, its interrupt test, how it enters loopback and its dump.
 *
 * <p>Offline means the adapter is Paused (no NDIS traffic): each test takes the rings and the interrupt,
 * and the hardware is reset and programmed again afterwards (as Linux resets between tests), so the
 * adapter can be restarted. Counter increments made by the tests are discarded; the NDIS statistics keep
 * only real traffic.
 *
 * @param <C> the chip profile
 * @param <H> the chip's hardware procedures
 */
public abstract class IntelDiagnostics<C extends IntelChip, H extends IntelHardware & PhyLoopback.Control>
        implements NicDiagnostics {

    /** Loopback kinds. */
    public enum Loopback {
        PHY, MAC
    }

    /** Frames per loopback burst and their size (Linux: bursts of 64 frames of 1024 bytes). */
    public static final int LOOPBACK_FRAMES = LoopbackBursts.FRAMES;
    public static final int LOOPBACK_BURSTS = LoopbackBursts.BURSTS;
    public static final int LOOPBACK_FRAME_SIZE = LoopbackBursts.FRAME_SIZE;
    /** Linux's link test allows 5 s; autonegotiation on QEMU takes ~500 ms. */
    protected static final long LINK_WAIT_NANOS = 5_000_000_000L;

    protected final NdisHost host;
    protected final MiniportAdapter miniportAdapter;
    protected final IntelAdapter<C> adapter;
    protected final H hw;
    protected final DeviceClock clock;
    private final RegisterPatternTest.Writable[] patternRegisters;

    /**
     * @param patternRegisters writable registers with the bits that must hold what was written (Linux's
     *     table for the chip)
     */
    protected IntelDiagnostics(NdisHost host, MiniportAdapter miniportAdapter, IntelAdapter<C> adapter, H hw,
            RegisterPatternTest.Writable[] patternRegisters) {
        this.host = host;
        this.miniportAdapter = miniportAdapter;
        this.adapter = adapter;
        this.hw = hw;
        this.clock = hw.clock();
        this.patternRegisters = patternRegisters;
    }

    /** RegisterReading, NVM, interrupt, PHY loopback, MAC loopback, link: in that order (Linux's, plus MAC loopback). */
    @Override
    public List<SelfTestResult> runOffline() {
        List<SelfTestResult> results = new ArrayList<>();
        results.add(registerTest());
        results.add(nvmTest());
        results.add(interruptTest());
        results.add(loopbackTest(Loopback.PHY));
        results.add(loopbackTest(Loopback.MAC));
        results.add(linkTest(Duration.ofSeconds(5)));
        return results;
    }

    // ---- offline bracket -------------------------------------------------------------------------

    /** One offline test's body. */
    protected interface Body {
        SelfTestResult run();
    }

    protected final SelfTestResult offline(String name, Body body) {
        if (miniportAdapter.state() != AdapterState.PAUSED) {
            return new SelfTestResult(name, Outcome.FAIL, "offline test needs the adapter Paused: state=" + miniportAdapter.state());
        }
        synchronized (adapter.txLock()) {
            return adapter.dataPath().underEveryRxLock(() -> offlineQuiet(name, body));   // every ring, docs/ndis-contract.md §21.3
        }
    }

    /** {@link #offline}'s body, holding txLock and every receive lock. */
    private SelfTestResult offlineQuiet(String name, Body body) {
        SelfTestResult r;
        adapter.counters().accumulate(hw.regs());
        adapter.dataPath().setDiagnosticsActive(true);
        try {
            r = body.run();
        } catch (RegisterTimeoutException | PhyAccessException e) {
            r = new SelfTestResult(name, Outcome.FAIL, e.getMessage());
        } finally {
            try {
                adapter.reinitializeHardware();
            } finally {
                adapter.dataPath().setDiagnosticsActive(false);
            }
        }
        return r;
    }

    // ---- register test ----------------------------------------------------------------------------

    /**
     * A chip's table: its own descriptor-ring rows, then the rows both Linux tables end with (e1000e
     * {@code e1000_reg_test}, igb {@code reg_test_82576}): TIPG, the second receive address, the first and
     * the last multicast table entries.
     */
    protected static RegisterPatternTest.Writable[] withAddressRows(int tipg, IntUnaryOperator ral,
            IntUnaryOperator mta, RegisterPatternTest.Writable... ringRows) {
        RegisterPatternTest.Writable[] rows = Arrays.copyOf(ringRows, ringRows.length + 4);
        rows[ringRows.length] = new RegisterPatternTest.Writable("TIPG", tipg, 0x3FFFFFFF);
        rows[ringRows.length + 1] = new RegisterPatternTest.Writable("RAL1", ral.applyAsInt(1), 0xFFFFFFFF);
        rows[ringRows.length + 2] = new RegisterPatternTest.Writable("MTA0", mta.applyAsInt(0), 0xFFFFFFFF);
        rows[ringRows.length + 3] = new RegisterPatternTest.Writable("MTA127", mta.applyAsInt(127), 0xFFFFFFFF);
        return rows;
    }

    /**
     * STATUS read-only bits must not change when written (Linux toggles 0x7FFFF3FF, leaving PHYRA and
     * bit 11 alone); each writable register must keep patterns 0x5A5A5A5A, 0xA5A5A5A5, 0, 0xFFFFFFFF in
     * its writable bits.
     */
    public SelfTestResult registerTest() {
        return offline("register", () -> RegisterPatternTest.run(hw.regs(), hw.statusRegister(), patternRegisters));
    }

    // ---- NVM checksum ---------------------------------------------------------------------------------

    /** Sum of NVM words 0x00..0x3F must be 0xBABA. */
    public SelfTestResult nvmTest() {
        return offline("nvm", () -> {
            int sum = hw.nvmChecksum();
            return sum == NvmWords.SUM
                    ? new SelfTestResult("nvm", Outcome.PASS, String.format("sum of words 0x00-0x3F = 0x%04X", sum))
                    : new SelfTestResult("nvm", Outcome.FAIL, String.format("sum of words 0x00-0x3F = 0x%04X, expected 0x%04X",
                            sum, NvmWords.SUM));
        });
    }

    // ---- interrupt test -----------------------------------------------------------------------------

    /** Each cause, masked, must not interrupt; unmasked it must reach the ISR. Skipped in polling mode. */
    public final SelfTestResult interruptTest() {
        InterruptMode mode = adapter.interruptMode();
        if (mode == null) {
            return new SelfTestResult("interrupt", Outcome.SKIPPED, "polling mode: no interrupt registered");
        }
        return offline("interrupt", () -> interruptCases(mode));
    }

    /** The chip's interrupt test in {@code mode}, run offline. */
    protected abstract SelfTestResult interruptCases(InterruptMode mode);

    /**
     * The ICR causes through ICS, each as a pair {cause, IMS bits that let it through}: masked, it must not
     * interrupt; unmasked, it must reach the ISR within {@code waitNanos} (Linux {@code e1000_intr_test},
     * {@code igb_intr_test}). {@code ics}, {@code ims} and {@code imc} are the chip's offsets;
     * {@code clearCauses} clears whatever is pending.
     */
    protected final SelfTestResult causeTests(InterruptMode mode, int[][] cases, long waitNanos, int ics, int ims,
            int imc, Runnable clearCauses) {
        StringBuilder seen = new StringBuilder();
        for (int[] c : cases) {
            int cause = c[0];
            hw.write(imc, IntelCauses.ALL);
            clearCauses.run();
            adapter.clearObservedCauses();
            hw.write(ics, cause);
            pumpInterrupts(10_000_000L, cause);
            if ((adapter.observedCauses() & cause) != 0) {
                return new SelfTestResult("interrupt", Outcome.FAIL, String.format(
                        "masked cause 0x%08X interrupted (%s)", cause, mode));
            }
            clearCauses.run();
            adapter.clearObservedCauses();
            hw.write(ims, c[1]);
            hw.write(ics, cause);
            boolean fired = pumpInterrupts(waitNanos, cause);
            hw.write(imc, IntelCauses.ALL);
            if (!fired) {
                return new SelfTestResult("interrupt", Outcome.FAIL, String.format(
                        "unmasked cause 0x%08X did not reach the ISR within %d ms (%s)", cause, waitNanos / 1_000_000,
                        mode));
            }
            seen.append(String.format(" 0x%X", cause));
        }
        clearCauses.run();
        return new SelfTestResult("interrupt", Outcome.PASS, mode + ": masked causes stayed quiet, unmasked fired:" + seen);
    }

    /** Dispatches interrupts (polled hosts) until {@code cause} was seen or the time passed. */
    protected final boolean pumpInterrupts(long nanos, int cause) {
        long deadline = clock.nanoTime() + nanos;
        while (true) {
            host.pollInterrupts(miniportAdapter);
            if ((adapter.observedCauses() & cause) != 0) {
                return true;
            }
            if (clock.nanoTime() - deadline >= 0) {
                return false;
            }
            clock.sleepNanos(100_000L);
        }
    }

    // ---- loopback (Linux e1000_loopback_test / igb_loopback_test) -----------------------------------

    /**
     * Interrupts masked, the receiver open to every frame, the PHY (BMCR 0x4140) or the MAC (RCTL.LBM) in
     * loopback, and the link up, in the order the chip needs.
     */
    protected abstract void enterLoopback(Loopback kind);

    /**
     * {@value #LOOPBACK_BURSTS} bursts of {@value #LOOPBACK_FRAMES} frames of {@value #LOOPBACK_FRAME_SIZE}
     * bytes (Linux's pattern: 0xFF, second half 0xAA, markers 0xBE/0xAF, plus the frame number) through
     * the adapter's own rings in PHY loopback or MAC loopback; every frame must come back byte for byte,
     * in order.
     */
    public SelfTestResult loopbackTest(Loopback kind) {
        String name = kind == Loopback.PHY ? "phy-loopback" : "mac-loopback";
        return offline(name, () -> {
            enterLoopback(kind);
            SelfTestResult bursts = new LoopbackBursts(name, adapter.tx(), adapter.rx(), adapter.selftestPool(),
                    adapter.currentAddress(), clock).run();
            if (!bursts.passed()) {
                return bursts;
            }
            if (kind == Loopback.PHY) {
                hw.leavePhyLoopback();
            } else {
                hw.setMacLoopback(false);
            }
            return bursts;
        });
    }

    // ---- link test -----------------------------------------------------------------------------------

    /** STATUS.LU within {@code timeout} (Linux: 5 s). Not a bracketed test: it only reads STATUS. */
    public SelfTestResult linkTest(Duration timeout) {
        return LinkTest.run(hw, clock, host, timeout);
    }

    // ---- register dump (ethtool -d) ----------------------------------------------------------------

    /** Important registers with decoded fields. ICR is left out (reading it clears it): see {@link #registerDump(boolean)}. */
    @Override
    public List<RegisterReading> registerDump() {
        return registerDump(false);
    }

    protected final void add(List<RegisterReading> out, String name, int offset, IntFunction<String> decode) {
        int v = hw.read(offset);
        out.add(new RegisterReading(name, offset, v, decode.apply(v)));
    }

    /** RAH0 decoded: the receive address in entry 0, or that it is invalid. */
    protected final String receiveAddress0() {
        MacAddress m = hw.receiveAddress(0);
        return m == null ? "AV=0 (invalid)" : "AV mac=" + m;
    }

    protected static String flags(int v, Object... pairs) {
        return RegisterFlags.names(v, pairs);
    }

    // ---- PHY, NVM, versions, identification (ethtool -d, -e, -i, -p) --------------------------------

    /**
     * BMCR, BMSR, the PHY identifier, ANAR, ANLPAR, ANER and the 1000BASE-T control and status over MDIC,
     * decoded (docs/hardware-reference.md B.11). BMSR is read twice: its link status latches low, the
     * second read is the link now (as {@code mii-tool} reads it).
     */
    @Override
    public Optional<PhyDump> phy() {
        int[] v = new int[MiiRegisters.STAT1000 + 1];
        try {
            for (int reg : MiiRegisters.DUMPED) {
                v[reg] = hw.readPhy(reg);
            }
            v[MiiRegisters.BMSR] = hw.readPhy(MiiRegisters.BMSR);
        } catch (PhyAccessException | RegisterTimeoutException e) {
            throw new DiagnosticsException("PHY register read failed: " + e.getMessage(), e);
        }
        List<RegisterReading> out = new ArrayList<>();
        for (int reg : MiiRegisters.DUMPED) {
            out.add(new RegisterReading(MiiRegisters.name(reg), reg, v[reg],
                    MiiRegisters.decode(reg, v[reg], v[MiiRegisters.PHYSID1])));
        }
        return Optional.of(new PhyDump(out, MiiRegisters.partner(v[MiiRegisters.BMSR], v[MiiRegisters.LPA],
                v[MiiRegisters.STAT1000])));
    }

    /** NVM words 0x00..0x3F through EERD, with the checksum, the MAC address and the version (ethtool -e, -i). */
    @Override
    public Optional<NvmImage> nvm() {
        try {
            return Optional.of(NvmImages.read(hw, adapter.chip()));
        } catch (RegisterTimeoutException e) {
            throw new DiagnosticsException("NVM read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String firmwareVersion() {
        try {
            return NvmImages.firmwareVersion(hw, adapter.chip());
        } catch (RegisterTimeoutException e) {
            throw new DiagnosticsException("NVM read failed: " + e.getMessage(), e);
        }
    }

    /** The port LED through LEDCTL, as the chip's Linux driver blinks it (docs/hardware-reference.md B.13). */
    @Override
    public Optional<LedIdentify> identify() {
        return Optional.of(adapter.chip().identification());
    }

    // ---- counters ------------------------------------------------------------------------------------

    /** The chip counters accumulated since initialization (reads and clears the chip's first). */
    @Override
    public Map<String, Long> counters() {
        if (!adapter.dataPath().diagnosticsActive()) {
            adapter.counters().accumulate(hw.regs());
        }
        return adapter.counters().snapshot();
    }

    /** Driver-side counters: frames completed, indicated, dropped, resets done. */
    @Override
    public Map<String, Long> driverCounters() {
        return Map.of("tx_completed", adapter.dataPath().txCompleted(), "rx_indicated", adapter.dataPath().rxIndicated(),
                "rx_dropped", adapter.dataPath().rxDropped(), "resets", adapter.resets(), "ring_resets",
                adapter.ringResets(), "unsubmitted_write_backs", adapter.tx().unsubmittedWriteBacks()
                + adapter.rx().unsubmittedWriteBacks(), "counter_reads_rejected", adapter.counters().rejectedReads());
    }

    /** PHY loopback: BMCR.LOOPBACK at 1000 Mb/s full duplex with the MAC forced to match. */
    @Override
    public Optional<NicDiagnostics.Loopback> loopback() {
        return Optional.of(new PhyLoopback(hw));
    }
}
