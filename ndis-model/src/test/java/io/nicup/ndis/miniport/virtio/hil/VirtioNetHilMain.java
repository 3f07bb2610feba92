package io.nicup.ndis.miniport.virtio.hil;

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
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.ndis.miniport.virtio.MiniportVirtioNet;
import io.nicup.ndis.miniport.virtio.VirtioNetDiagnostics;
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
import java.util.HexFormat;
import java.util.List;

/**
 * Guest side of the virtio-net HIL suite, one JVM for the miniport's whole lifecycle on QEMU's
 * virtio-net-pci (disable-legacy=on, iommu_platform=on) through VFIO: DriverEntry, InitializeEx, the
 * register dump and the offline self-tests, Restart, TX, RX of what the host injects, statistics, Pause,
 * Halt, Unload. Each step writes {@code check-main-NAME.out} and {@code .rc} (0 = pass) in the results
 * directory; the host-side test asserts on them. Frames: see {@link #tx} and {@link #rx}.
 *
 * <p>Usage: {@code VirtioNetHilMain BDF RESULTS_DIR}
 */
public final class VirtioNetHilMain {

    /** Frames per direction. */
    public static final int COUNT = 8;
    /** Where the guest sends to: a locally administered unicast address nobody has. */
    public static final byte[] PEER = {0x02, 0x00, 0x00, 0x00, 0x00, 0x03};

    private final Path results;

    private VirtioNetHilMain(Path results) {
        this.results = results;
    }

    public static void main(String[] args) {
        VirtioNetHilMain m = new VirtioNetHilMain(Path.of(args[1]));
        System.exit(m.run(PciAddress.parse(args[0])));
    }

    /** Frame {@code i} the guest transmits: PEER <- mac, 60..1514 bytes. */
    public static byte[] tx(int i, byte[] mac) {
        return frame(PEER, mac, i == COUNT - 1 ? 1514 : 60 + 97 * i, 0x300 + i);
    }

    /** Frame {@code i} the host injects: mac <- PEER, 64..1514 bytes. */
    public static byte[] rx(int i, byte[] mac) {
        return frame(mac, PEER, i == COUNT - 1 ? 1514 : 64 + 101 * i, 0x400 + i);
    }

    static byte[] frame(byte[] dst, byte[] src, int length, int seq) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = (byte) 0x88;
        f[13] = (byte) 0xB5;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (seq * 7 + i * 13);
        }
        f[14] = (byte) (seq >>> 8);
        f[15] = (byte) seq;
        return f;
    }

    private void check(String name, boolean ok, String out) {
        try {
            Files.writeString(results.resolve("check-main-" + name + ".out"), out + "\n", StandardCharsets.UTF_8);
            Files.writeString(results.resolve("check-main-" + name + ".rc"), (ok ? "0" : "1") + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.println("check main-" + name + " " + (ok ? "ok" : "FAILED") + ": " + out);
    }

    private int run(PciAddress bdf) {
        try (VfioPciDevice pci = VfioPciDevice.open(bdf);
                NdisHost host = new NdisHost(HostOptions.defaults())) {
            MiniportVirtioNet driver = new MiniportVirtioNet();
            LoadedDriver loaded = driver.load(host, RegistryPath.empty(MiniportVirtioNet.NAME));
            check("driver-entry", loaded.phase() == LoadedDriver.Phase.LOADED, "phase=" + loaded.phase());
            FrameEdge edge = new FrameEdge();
            MiniportAdapter a = host.addAdapter(loaded, pci, edge);
            check("initialize", a.initStatus() == NdisStatus.SUCCESS && a.state() == AdapterState.PAUSED,
                    "status=" + NdisStatus.name(a.initStatus()) + " state=" + a.state() + " failure="
                            + driver.initFailure(a).map(InitFailure::detail).orElse(null) + " adapter="
                            + (a.initStatus() == NdisStatus.SUCCESS ? driver.adapter(a).toString() : "-"));
            if (a.initStatus() != NdisStatus.SUCCESS) {
                return 1;
            }
            byte[] current = host.query(a, Oid.OID_802_3_CURRENT_ADDRESS, 6).join().request().informationBuffer()
                    .asSlice(0, 6).toArray(ValueLayout.JAVA_BYTE);
            check("mac", true, "current=" + HexFormat.of().formatHex(current));

            VirtioNetDiagnostics diag = driver.diagnostics(host, a);
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
            List<byte[]> tx = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                tx.add(tx(i, current));
            }
            FrameEdge.send(host, a, pool, tx);
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (edge.completedOk() + edge.completedFailed() < tx.size() && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
            check("tx", edge.completedOk() == tx.size(), "completed_ok=" + edge.completedOk() + " failed="
                    + edge.completedFailed() + " of " + tx.size());

            Files.writeString(results.resolve("ready-main-rx"), "ready\n");
            deadline = System.nanoTime() + 300_000_000_000L;
            while (edge.receivedCount() < COUNT && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            List<String> lines = new ArrayList<>();
            for (byte[] f : edge.received()) {
                lines.add(HexFormat.of().formatHex(f));
            }
            Files.write(results.resolve("main-rx-frames.hex"), lines, StandardCharsets.UTF_8);
            check("rx", edge.receivedCount() >= COUNT, "received=" + edge.receivedCount());

            OidResult st = host.query(a, Oid.GEN_STATISTICS, NdisStatisticsInfo.SIZEOF_REVISION_1).join();
            NdisStatisticsInfo s = NdisStatisticsInfo.read(st.request().informationBuffer(), 0);
            check("statistics", st.status() == NdisStatus.SUCCESS, "out_ucast=" + s.ifHCOutUcastPkts() + " in_ucast="
                    + s.ifHCInUcastPkts() + " out_octets=" + s.ifHCOutOctets() + " in_octets=" + s.ifHCInOctets()
                    + " in_discards=" + s.ifInDiscards() + " in_errors=" + s.ifInErrors() + " queues="
                    + diag.counters() + " driver=" + diag.driverCounters());

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
            return 0;
        } catch (Throwable t) {
            StringWriter sw = new StringWriter();
            t.printStackTrace(new PrintWriter(sw));
            check("exception", false, sw.toString());
            return 1;
        }
    }
}
