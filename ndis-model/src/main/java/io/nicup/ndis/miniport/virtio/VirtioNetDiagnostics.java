package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.AdapterState;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.MiniportAdapter;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.miniport.core.NicDiagnostics;
import io.nicup.ndis.miniport.core.RegisterReading;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.InterruptMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Bring-up diagnostics of a virtio-net adapter. Self-tests (adapter Paused): the capability walk, the
 * feature negotiation as the device kept it, the queues as programmed, an MSI-X vector that really
 * fires, the link; loopback is SKIPPED (virtio-net has no internal loopback). The register dump is the
 * common configuration, the ISR status (only when read-to-clear reads are allowed) and the network
 * device configuration, named as in the spec's structs. virtio has no hardware counters: {@link #counters}
 * are the driver's per-queue counters.
 */
public final class VirtioNetDiagnostics implements NicDiagnostics {

    private static final long INTERRUPT_WAIT_NANOS = 500_000_000L;
    private static final long LINK_WAIT_NANOS = 5_000_000_000L;

    private final NdisHost host;
    private final MiniportAdapter miniportAdapter;
    private final VirtioNetAdapter adapter;

    VirtioNetDiagnostics(NdisHost host, MiniportAdapter miniportAdapter, VirtioNetAdapter adapter) {
        this.host = host;
        this.miniportAdapter = miniportAdapter;
        this.adapter = adapter;
    }

    @Override
    public List<SelfTestResult> runOffline() {
        List<SelfTestResult> out = new ArrayList<>();
        out.add(capabilityTest());
        out.add(featureTest());
        out.add(queueTest());
        out.add(interruptTest());
        out.add(linkTest());
        out.add(new SelfTestResult("loopback", Outcome.SKIPPED,
                "virtio-net has no internal loopback: frames only leave through the device's backend"));
        return out;
    }

    private interface Body {
        SelfTestResult run();
    }

    private SelfTestResult offline(String name, Body body) {
        if (miniportAdapter.state() != AdapterState.PAUSED) {
            return new SelfTestResult(name, Outcome.FAIL, "offline test needs the adapter Paused: state="
                    + miniportAdapter.state());
        }
        try {
            return body.run();
        } catch (DeviceAccessException e) {
            return new SelfTestResult(name, Outcome.FAIL, e.getMessage());
        }
    }

    /** The vendor capabilities walked again on the live configuration space: the four structures, where they are. */
    public SelfTestResult capabilityTest() {
        return offline("capabilities", () -> {
            List<VirtioPciCap> caps = VirtioPciCap.walk(miniportAdapter.device().config());
            StringBuilder seen = new StringBuilder();
            for (int type : new int[] {VirtioPciCap.COMMON_CFG, VirtioPciCap.NOTIFY_CFG, VirtioPciCap.ISR_CFG,
                VirtioPciCap.DEVICE_CFG}) {
                VirtioPciCap c = caps.stream().filter(x -> x.cfgType() == type).findFirst().orElse(null);
                if (c == null && type != VirtioPciCap.DEVICE_CFG) {
                    return new SelfTestResult("capabilities", Outcome.FAIL, VirtioPciCap.typeName(type)
                            + " capability missing: found=" + caps);
                }
                if (c != null) {
                    seen.append(seen.isEmpty() ? "" : ", ").append(String.format("%s bar=%d offset=0x%X",
                            VirtioPciCap.typeName(type), c.bar(), c.offset()));
                }
            }
            int status = adapter.transport.status();
            if (status == 0xFF) {
                return new SelfTestResult("capabilities", Outcome.FAIL, "device_status reads 0xFF: the device is gone");
            }
            return new SelfTestResult("capabilities", Outcome.PASS, seen + String.format(
                    "; notify_off_multiplier=%d", adapter.transport.notifyOffMultiplier()));
        });
    }

    /** The features the device offers now, what it kept of the driver's, and the status bits. */
    public SelfTestResult featureTest() {
        return offline("features", () -> {
            VirtioTransport t = adapter.transport;
            long offered;
            long kept;
            int status;
            synchronized (adapter.ctrlLock()) {
                offered = t.deviceFeatures();
                kept = t.driverFeatures();
                status = t.status();
            }
            int wanted = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK;
            if ((status & (DeviceStatus.DEVICE_NEEDS_RESET | DeviceStatus.FAILED)) != 0 || (status & wanted) != wanted) {
                return new SelfTestResult("features", Outcome.FAIL, String.format("device_status=0x%02X (%s), expected %s",
                        status, DeviceStatus.decode(status), DeviceStatus.decode(wanted)));
            }
            if ((offered & Features.F_VERSION_1) == 0 || kept != adapter.features
                    || (adapter.features & ~offered) != 0) {
                return new SelfTestResult("features", Outcome.FAIL, String.format(
                        "device_feature=0x%016X driver_feature=0x%016X negotiated=0x%016X", offered, kept, adapter.features));
            }
            long declined = offered & Features.OPTIONAL & ~adapter.features;
            return new SelfTestResult("features", Outcome.PASS, String.format("negotiated %s (0x%016X of offered 0x%016X)%s",
                    Features.decode(adapter.features), adapter.features, offered,
                    declined == 0 ? "" : "; declined " + Features.decode(declined)));
        });
    }

    /** Each queue as the device holds it: enabled, the size and the three ring addresses the driver wrote. */
    public SelfTestResult queueTest() {
        return offline("queues", () -> {
            VirtioTransport t = adapter.transport;
            StringBuilder seen = new StringBuilder();
            SplitRing[] rings = {adapter.rx, adapter.tx, adapter.ctrl};
            String[] names = {"receiveq1", "transmitq1", "controlq"};
            synchronized (adapter.ctrlLock()) {
                for (int q = 0; q < rings.length; q++) {
                    SplitRing r = rings[q];
                    if (r == null) {
                        continue;
                    }
                    t.selectQueue(q);
                    int enable = t.read16(CommonCfg.QUEUE_ENABLE);
                    int size = t.read16(CommonCfg.QUEUE_SIZE);
                    long desc = t.read64(CommonCfg.QUEUE_DESC);
                    long driver = t.read64(CommonCfg.QUEUE_DRIVER);
                    long device = t.read64(CommonCfg.QUEUE_DEVICE);
                    if (enable != 1 || size != r.size() || desc != r.descIova() || driver != r.availIova()
                            || device != r.usedIova()) {
                        return new SelfTestResult("queues", Outcome.FAIL, String.format("%s: queue_enable=%d queue_size=%d"
                                + " queue_desc=0x%X queue_driver=0x%X queue_device=0x%X, programmed size=%d desc=0x%X"
                                + " driver=0x%X device=0x%X", names[q], enable, size, desc, driver, device, r.size(),
                                r.descIova(), r.availIova(), r.usedIova()));
                    }
                    seen.append(seen.isEmpty() ? "" : ", ").append(names[q]).append(" size=").append(size);
                }
            }
            return new SelfTestResult("queues", Outcome.PASS, seen + " enabled at the programmed addresses");
        });
    }

    /**
     * An MSI-X vector must really fire: a control command (the current RX_PROMISC setting again, which
     * changes nothing) makes the device use the control queue and signal its vector
     * ({@value VirtioNetAdapter#VECTOR_CTRL}). Without MSI-X or a control queue nothing can provoke an
     * interrupt without traffic: SKIPPED.
     */
    public SelfTestResult interruptTest() {
        if (adapter.interruptMode != InterruptMode.MSIX) {
            return new SelfTestResult("interrupt", Outcome.SKIPPED, "polling mode: no interrupt registered"
                    + (adapter.pollingReason == null ? "" : " (" + adapter.pollingReason + ")"));
        }
        if (adapter.ctrl == null) {
            return new SelfTestResult("interrupt", Outcome.SKIPPED,
                    "no control queue (VIRTIO_NET_F_CTRL_VQ not offered): nothing provokes an interrupt without traffic");
        }
        return offline("interrupt", () -> {
            int vector = adapter.queueVectors[VirtioNetAdapter.CTRL_QUEUE];
            if (vector == CommonCfg.NO_VECTOR) {
                return new SelfTestResult("interrupt", Outcome.FAIL, "controlq has no vector: queue_msix_vector=NO_VECTOR");
            }
            long bit = 1L << vector;
            adapter.observedVectors &= ~bit;
            boolean ok;
            synchronized (adapter.ctrlLock()) {
                ok = adapter.rxMode(VirtioNetAdapter.CTRL_RX_PROMISC, adapter.promiscuous());
            }
            long deadline = adapter.transport.clock().nanoTime() + INTERRUPT_WAIT_NANOS;
            while ((adapter.observedVectors & bit) == 0 && adapter.transport.clock().nanoTime() - deadline < 0) {
                host.pollInterrupts(miniportAdapter);
                adapter.transport.clock().sleepNanos(100_000L);
            }
            if ((adapter.observedVectors & bit) == 0) {
                return new SelfTestResult("interrupt", Outcome.FAIL, String.format("MSI-X vector %d (controlq) did not"
                        + " fire within %d ms of a control command (command %s)", vector, INTERRUPT_WAIT_NANOS / 1_000_000,
                        ok ? "acknowledged" : "not acknowledged"));
            }
            return new SelfTestResult("interrupt", Outcome.PASS, String.format("MSI-X vector %d fired for a controlq"
                    + " command; config_msix_vector=%d rx=%d tx=%d", vector, adapter.configVector,
                    adapter.queueVectors[0], adapter.queueVectors[1]));
        });
    }

    /** virtio_net_config.status LINK_UP within 5 s; SKIPPED without VIRTIO_NET_F_STATUS (the link is then always up). */
    public SelfTestResult linkTest() {
        if ((adapter.features & Features.NET_F_STATUS) == 0) {
            return new SelfTestResult("link", Outcome.SKIPPED,
                    "VIRTIO_NET_F_STATUS not offered: the device reports no link state (always up)");
        }
        return offline("link", () -> {
            long start = adapter.transport.clock().nanoTime();
            long deadline = start + LINK_WAIT_NANOS;
            while (!adapter.linkUp()) {
                if (adapter.transport.clock().nanoTime() - deadline >= 0) {
                    int s = adapter.transport.readNetStatus();
                    return new SelfTestResult("link", Outcome.FAIL, String.format(
                            "status.LINK_UP not set within %d ms (virtio_net_config.status=0x%04X)",
                            LINK_WAIT_NANOS / 1_000_000, s & 0xFFFF));
                }
                host.idle(java.time.Duration.ofMillis(10));
            }
            return new SelfTestResult("link", Outcome.PASS, String.format("status.LINK_UP after %d ms",
                    (adapter.transport.clock().nanoTime() - start) / 1_000_000));
        });
    }

    // ---- register dump ------------------------------------------------------------------------------

    @Override
    public List<RegisterReading> registerDump() {
        return registerDump(false);
    }

    /** The common configuration, ISR status (read-to-clear: only with {@code readClearOnRead}), the device configuration. */
    @Override
    public List<RegisterReading> registerDump(boolean readClearOnRead) {
        VirtioTransport t = adapter.transport;
        List<RegisterReading> out = new ArrayList<>();
        int base = adapter.commonCap.offset();
        synchronized (adapter.ctrlLock()) {
            for (int sel = 0; sel < 2; sel++) {
                t.write32(CommonCfg.DEVICE_FEATURE_SELECT, sel);
                int v = t.read32(CommonCfg.DEVICE_FEATURE);
                out.add(new RegisterReading("device_feature[" + sel + "]", base + CommonCfg.DEVICE_FEATURE, v,
                        Features.decode((v & 0xFFFF_FFFFL) << (32 * sel))));
            }
            for (int sel = 0; sel < 2; sel++) {
                t.write32(CommonCfg.DRIVER_FEATURE_SELECT, sel);
                int v = t.read32(CommonCfg.DRIVER_FEATURE);
                out.add(new RegisterReading("driver_feature[" + sel + "]", base + CommonCfg.DRIVER_FEATURE, v,
                        Features.decode((v & 0xFFFF_FFFFL) << (32 * sel))));
            }
            int cv = t.read16(CommonCfg.CONFIG_MSIX_VECTOR);
            out.add(new RegisterReading("config_msix_vector", base + CommonCfg.CONFIG_MSIX_VECTOR, cv, vector(cv)));
            int nq = t.numQueues();
            out.add(new RegisterReading("num_queues", base + CommonCfg.NUM_QUEUES, nq, ""));
            int st = t.status();
            out.add(new RegisterReading("device_status", base + CommonCfg.DEVICE_STATUS, st, DeviceStatus.decode(st)));
            out.add(new RegisterReading("config_generation", base + CommonCfg.CONFIG_GENERATION, t.configGeneration(), ""));
            String[] names = {"receiveq1", "transmitq1", "controlq"};
            for (int q = 0; q < Math.min(nq, 3); q++) {
                t.selectQueue(q);
                String p = "q" + q + ".";
                out.add(new RegisterReading(p + "queue_size", base + CommonCfg.QUEUE_SIZE, t.read16(CommonCfg.QUEUE_SIZE),
                        names[q]));
                int qv = t.read16(CommonCfg.QUEUE_MSIX_VECTOR);
                out.add(new RegisterReading(p + "queue_msix_vector", base + CommonCfg.QUEUE_MSIX_VECTOR, qv, vector(qv)));
                int en = t.read16(CommonCfg.QUEUE_ENABLE);
                out.add(new RegisterReading(p + "queue_enable", base + CommonCfg.QUEUE_ENABLE, en, en == 1 ? "enabled" : "disabled"));
                int no = t.read16(CommonCfg.QUEUE_NOTIFY_OFF);
                out.add(new RegisterReading(p + "queue_notify_off", base + CommonCfg.QUEUE_NOTIFY_OFF, no,
                        String.format("doorbell at BAR%d+0x%X", adapter.notifyCap.bar(), t.notifyOffset(no))));
                addAddress(out, p + "queue_desc", base + CommonCfg.QUEUE_DESC, t.read64(CommonCfg.QUEUE_DESC));
                addAddress(out, p + "queue_driver", base + CommonCfg.QUEUE_DRIVER, t.read64(CommonCfg.QUEUE_DRIVER));
                addAddress(out, p + "queue_device", base + CommonCfg.QUEUE_DEVICE, t.read64(CommonCfg.QUEUE_DEVICE));
            }
        }
        if (readClearOnRead) {
            int isr = t.readIsr();
            out.add(new RegisterReading("isr_status", adapter.isrCap.offset(), isr,
                    ((isr & 1) != 0 ? "QUEUE " : "") + ((isr & 2) != 0 ? "CONFIG" : "")));
        }
        if (t.hasDeviceConfig()) {
            int dbase = adapter.deviceCap.offset();
            byte[] mac = new byte[6];
            for (int i = 0; i < 6; i++) {
                mac[i] = (byte) t.deviceRead8(NetConfig.MAC + i);
            }
            int macLo = (mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16 | (mac[3] & 0xFF) << 24;
            out.add(new RegisterReading("mac", dbase + NetConfig.MAC, macLo, MacAddress.of(mac).toString()
                    + ((adapter.features & Features.NET_F_MAC) == 0 ? " (VIRTIO_NET_F_MAC not negotiated)" : "")));
            int s = t.deviceRead16(NetConfig.STATUS);
            out.add(new RegisterReading("status", dbase + NetConfig.STATUS, s, (adapter.features & Features.NET_F_STATUS) == 0
                    ? "(VIRTIO_NET_F_STATUS not negotiated)"
                    : ((s & NetConfig.S_LINK_UP) != 0 ? "LINK_UP" : "link down")
                            + ((s & NetConfig.S_ANNOUNCE) != 0 ? " ANNOUNCE" : "")));
        }
        return out;
    }

    private static String vector(int v) {
        return v == CommonCfg.NO_VECTOR ? "NO_VECTOR" : "vector " + v;
    }

    private static void addAddress(List<RegisterReading> out, String name, int offset, long value) {
        out.add(new RegisterReading(name, offset, (int) value, String.format("0x%016X", value)));
    }

    // ---- counters -----------------------------------------------------------------------------------

    /** virtio-net has no hardware counters: these are the driver's, per queue. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rxq0_frames", adapter.rxFrames);
        m.put("rxq0_bytes", adapter.rxBytes);
        m.put("rxq0_dropped", adapter.rxDropped);
        m.put("rxq0_filtered", adapter.rxFiltered);
        m.put("rxq0_length_errors", adapter.rxLengthErrors);
        m.put("rxq0_notifies", adapter.rxNotifies);
        m.put("txq0_frames", adapter.txFrames);
        m.put("txq0_bytes", adapter.txBytes);
        m.put("txq0_errors", adapter.txErrors);
        m.put("txq0_notifies", adapter.txNotifies);
        m.put("ctrlq_commands", adapter.ctrlCommands);
        m.put("ctrlq_failures", adapter.ctrlFailures);
        m.put("config_interrupts", adapter.configInterrupts);
        return m;
    }

    @Override
    public String countersTitle() {
        return "queue counters (kept by the driver: virtio-net has no hardware counters)";
    }

    @Override
    public Map<String, Long> driverCounters() {
        return Map.of("tx_completed", adapter.txFrames, "rx_indicated", adapter.rxFrames, "rx_dropped",
                adapter.rxDropped, "resets", adapter.resets);
    }

    /** virtio-net cannot loop frames back inside the device. */
    @Override
    public Optional<Loopback> loopback() {
        return Optional.empty();
    }
}
