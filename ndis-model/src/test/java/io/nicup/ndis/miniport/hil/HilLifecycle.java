package io.nicup.ndis.miniport.hil;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.core.InitFailure;
import io.nicup.ndis.miniport.core.NicDiagnostics;
import io.nicup.ndis.miniport.core.NicDriver;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.miniport.i82574.hil.HilFrames;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.protocol.FrameEdge;
import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.VfioPciDevice;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The guest side of a HIL run, one JVM for the whole lifecycle of a miniport on a real (QEMU) NIC through
 * VFIO: DriverEntry, InitializeEx, offline self-tests, Restart, TX, RX of what the host injects,
 * statistics, Pause, Halt, Unload. Each step writes {@code check-NAME.out} and {@code check-NAME.rc}
 * (0 = pass) in the results directory and a {@code check NAME ok|FAILED: ...} line on stdout; the
 * host-side test asserts on them. Each driver's {@code *HilMain} runs it with its driver.
 *
 * @param <D> the miniport driver
 */
public final class HilLifecycle<D extends NicDriver> {

    private final Path results;
    private final Supplier<D> newDriver;
    private final BiFunction<D, MiniportAdapter, String> describeAdapter;

    /**
     * @param results where the check files go
     * @param newDriver makes the driver, once the device and the host are open
     * @param describeAdapter the initialized adapter as the {@code initialize} check prints it (its interrupt mode)
     */
    public HilLifecycle(Path results, Supplier<D> newDriver, BiFunction<D, MiniportAdapter, String> describeAdapter) {
        this.results = results;
        this.newDriver = newDriver;
        this.describeAdapter = describeAdapter;
    }

    private void check(String name, boolean ok, String out) throws IOException {
        Files.writeString(results.resolve("check-" + name + ".out"), out + "\n", StandardCharsets.UTF_8);
        Files.writeString(results.resolve("check-" + name + ".rc"), (ok ? "0" : "1") + "\n", StandardCharsets.UTF_8);
        System.out.println("check " + name + " " + (ok ? "ok" : "FAILED") + ": " + out);
    }

    /** Runs every step on the device at {@code bdf}; 0 when it got to the end. */
    public int run(PciAddress bdf) throws Exception {
        try (VfioPciDevice pci = VfioPciDevice.open(bdf);
                NdisHost host = new NdisHost(HostOptions.defaults())) {
            D driver = newDriver.get();
            LoadedDriver loaded = driver.load(host, RegistryPath.empty(driver.name()));
            check("driver-entry", loaded.phase() == LoadedDriver.Phase.LOADED, "phase=" + loaded.phase());
            FrameEdge edge = new FrameEdge();
            MiniportAdapter a = host.addAdapter(loaded, pci, edge);
            check("initialize", a.initStatus() == NdisStatus.SUCCESS && a.state() == AdapterState.PAUSED,
                    "status=" + NdisStatus.name(a.initStatus()) + " state=" + a.state() + " failure="
                            + driver.initFailure(a).map(InitFailure::detail).orElse(null) + " interrupt_mode="
                            + (a.initStatus() == NdisStatus.SUCCESS ? describeAdapter.apply(driver, a) : "-"));
            if (a.initStatus() != NdisStatus.SUCCESS) {
                return 1;
            }
            byte[] current = host.query(a, Oid.OID_802_3_CURRENT_ADDRESS, 6).join().request().informationBuffer()
                    .asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE);
            byte[] permanent = host.query(a, Oid.OID_802_3_PERMANENT_ADDRESS, 6).join().request().informationBuffer()
                    .asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE);
            check("mac", true, "current=" + HilFrames.hex(current) + " permanent=" + HilFrames.hex(permanent));

            NicDiagnostics diag = driver.diagnostics(host, a);
            StringBuilder dump = new StringBuilder();
            diag.registerDump().forEach(r -> dump.append(r).append('\n'));
            check("register-dump", true, dump.toString().strip());
            for (SelfTestResult r : diag.runOffline()) {
                check("selftest-" + r.name(), r.passed(), r.toString());
            }

            FrameEdge.setPacketFilter(host, a, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
            int restart = host.restart(a);
            boolean link = driver.awaitLink(host, a, Duration.ofSeconds(20));
            check("restart", restart == NdisStatus.SUCCESS && a.state() == AdapterState.RUNNING && link,
                    "status=" + NdisStatus.name(restart) + " state=" + a.state() + " link=" + link + " link_state="
                            + a.linkState());

            NetBufferListPool pool = host.allocateSendPool(a, 64, 2048);
            List<byte[]> tx = HilFrames.txAll(current);
            FrameEdge.send(host, a, pool, tx);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (edge.completedOk() + edge.completedFailed() < tx.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            check("tx", edge.completedOk() == tx.size(), "completed_ok=" + edge.completedOk() + " failed="
                    + edge.completedFailed() + " of " + tx.size());

            Files.writeString(results.resolve("ready-rx"), "ready\n");
            Path injected = results.resolve("injected");
            deadline = System.nanoTime() + 300_000_000_000L;
            while (!Files.exists(injected) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            deadline = System.nanoTime() + 30_000_000_000L;
            while (edge.receivedCount() < HilFrames.COUNT && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> lines = new ArrayList<>();
            for (byte[] f : edge.received()) {
                lines.add(HilFrames.hex(f));
            }
            Files.write(results.resolve("rx-frames.hex"), lines, StandardCharsets.UTF_8);
            check("rx", edge.receivedCount() >= HilFrames.COUNT, "received=" + edge.receivedCount()
                    + " injected_seen=" + Files.exists(injected));

            OidResult st = host.query(a, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
            NdisStatisticsInfo s = NdisStatisticsInfo.read(st.request().informationBuffer(), 0);
            check("statistics", st.status() == NdisStatus.SUCCESS, "out_ucast=" + s.ifHCOutUcastPkts() + " in_ucast="
                    + s.ifHCInUcastPkts() + " in_bcast=" + s.ifHCInBroadcastPkts() + " out_octets=" + s.ifHCOutOctets()
                    + " in_octets=" + s.ifHCInOctets() + " in_discards=" + s.ifInDiscards() + " in_errors="
                    + s.ifInErrors() + " chip=" + diag.counters() + " driver=" + diag.driverCounters());

            int pause = host.pause(a);
            boolean paused = host.awaitState(a, AdapterState.PAUSED, Duration.ofSeconds(10));
            host.halt(a, HaltAction.NdisHaltDeviceDisabled);
            int command = pci.config().read16(0x04);
            check("halt", a.state() == AdapterState.HALTED && pci.dma().liveRegions() == 0 && (command & 0x4) == 0
                    && a.heldResources().isEmpty(), "pause=" + NdisStatus.name(pause) + " paused=" + paused + " state="
                    + a.state() + " live_regions=" + pci.dma().liveRegions() + " bus_master=" + ((command & 0x4) != 0)
                    + " held=" + a.heldResources());
            int unload = host.unloadDriver(loaded);
            check("unload", unload == NdisStatus.SUCCESS && loaded.phase() == LoadedDriver.Phase.UNLOADED,
                    "status=" + NdisStatus.name(unload) + " phase=" + loaded.phase());
            var verdict = host.verifier().verdict();
            check("verifier", verdict.passed(), "violations=" + verdict.violations());
            StringBuilder trace = new StringBuilder();
            host.trace().writeHuman(trace);
            Files.writeString(results.resolve("trace.txt"), trace, StandardCharsets.UTF_8);
            return 0;
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            check("exception", false, sw.toString());
            return 1;
        }
    }
}
