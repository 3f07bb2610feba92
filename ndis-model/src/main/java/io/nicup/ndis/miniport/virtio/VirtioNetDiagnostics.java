package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
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
            int status = adapter.device.transport.status();
            if (status == 0xFF) {
                return new SelfTestResult("capabilities", Outcome.FAIL, "device_status reads 0xFF: the device is gone");
            }
            return new SelfTestResult("capabilities", Outcome.PASS, seen + String.format(
                    "; notify_off_multiplier=%d", adapter.device.transport.notifyOffMultiplier()));
        });
    }

    /** The features the device offers now, what it kept of the driver's, and the status bits. */
    public SelfTestResult featureTest() {
        return offline("features", () -> {
            VirtioTransport t = adapter.device.transport;
            long offered;
            long kept;
            int status;
            synchronized (adapter.ctrlLock) {
                offered = t.deviceFeatures();
                kept = t.driverFeatures();
                status = t.status();
            }
            int wanted = DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK;
            if ((status & (DeviceStatus.DEVICE_NEEDS_RESET | DeviceStatus.FAILED)) != 0 || (status & wanted) != wanted) {
                return new SelfTestResult("features", Outcome.FAIL, String.format("device_status=0x%02X (%s), expected %s",
                        status, DeviceStatus.decode(status), DeviceStatus.decode(wanted)));
            }
            if ((offered & Features.F_VERSION_1) == 0 || kept != adapter.device.features
                    || (adapter.device.features & ~offered) != 0) {
                return new SelfTestResult("features", Outcome.FAIL, String.format(
                        "device_feature=0x%016X driver_feature=0x%016X negotiated=0x%016X", offered, kept, adapter.device.features));
            }
            long declined = offered & Features.OPTIONAL & ~adapter.device.features;
            return new SelfTestResult("features", Outcome.PASS, String.format("negotiated %s (0x%016X of offered 0x%016X)%s",
                    Features.decode(adapter.device.features), adapter.device.features, offered,
                    declined == 0 ? "" : "; declined " + Features.decode(declined)));
        });
    }

    /** Each queue as the device holds it: enabled, the size and the three ring addresses the driver wrote. */
    public SelfTestResult queueTest() {
        return offline("queues", () -> {
            VirtioTransport t = adapter.device.transport;
            StringBuilder seen = new StringBuilder();
            synchronized (adapter.ctrlLock) {
                for (int q = 0; q < adapter.queues.queueVectors.length; q++) {
                    SplitRing r = adapter.queues.ringAt(q);
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
                                + " driver=0x%X device=0x%X", adapter.queues.nameAt(q), enable, size, desc, driver, device, r.size(),
                                r.descIova(), r.availIova(), r.usedIova()));
                    }
                    seen.append(seen.isEmpty() ? "" : ", ").append(adapter.queues.nameAt(q)).append(" size=").append(size);
                }
            }
            return new SelfTestResult("queues", Outcome.PASS, seen + " enabled at the programmed addresses");
        });
    }

    /**
     * An MSI-X vector must really fire: a control command (the current RX_PROMISC setting again, which
     * changes nothing) makes the device use the control queue and signal its vector
     * ({@value VirtioQueues#VECTOR_CTRL}). Without MSI-X or a control queue nothing can provoke an
     * interrupt without traffic: SKIPPED.
     */
    public SelfTestResult interruptTest() {
        if (adapter.interrupts.mode != InterruptMode.MSIX) {
            return new SelfTestResult("interrupt", Outcome.SKIPPED, "polling mode: no interrupt registered"
                    + (adapter.interrupts.pollingReason == null ? "" : " (" + adapter.interrupts.pollingReason + ")"));
        }
        if (adapter.queues.ctrl == null) {
            return new SelfTestResult("interrupt", Outcome.SKIPPED,
                    "no control queue (VIRTIO_NET_F_CTRL_VQ not offered): nothing provokes an interrupt without traffic");
        }
        return offline("interrupt", () -> {
            int vector = adapter.queues.queueVectors[adapter.queues.ctrlIndex];
            if (vector == CommonCfg.NO_VECTOR) {
                return new SelfTestResult("interrupt", Outcome.FAIL, "controlq has no vector: queue_msix_vector=NO_VECTOR");
            }
            long bit = 1L << vector;
            adapter.interrupts.observedVectors &= ~bit;
            boolean ok;
            synchronized (adapter.ctrlLock) {
                ok = adapter.queues.ctrl.rxMode(ControlQueue.RX_PROMISC, adapter.oids.promiscuous());
            }
            long deadline = adapter.device.transport.clock().nanoTime() + INTERRUPT_WAIT_NANOS;
            while ((adapter.interrupts.observedVectors & bit) == 0 && adapter.device.transport.clock().nanoTime() - deadline < 0) {
                host.pollInterrupts(miniportAdapter);
                adapter.device.transport.clock().sleepNanos(100_000L);
            }
            if ((adapter.interrupts.observedVectors & bit) == 0) {
                return new SelfTestResult("interrupt", Outcome.FAIL, String.format("MSI-X vector %d (controlq) did not"
                        + " fire within %d ms of a control command (command %s)", vector, INTERRUPT_WAIT_NANOS / 1_000_000,
                        ok ? "acknowledged" : "not acknowledged"));
            }
            return new SelfTestResult("interrupt", Outcome.PASS, String.format("MSI-X vector %d fired for a controlq"
                    + " command; config_msix_vector=%d rx=%d tx=%d", vector, adapter.queues.configVector,
                    adapter.queues.queueVectors[0], adapter.queues.queueVectors[1]));
        });
    }

    /** virtio_net_config.status LINK_UP within 5 s; SKIPPED without VIRTIO_NET_F_STATUS (the link is then always up). */
    public SelfTestResult linkTest() {
        if ((adapter.device.features & Features.NET_F_STATUS) == 0) {
            return new SelfTestResult("link", Outcome.SKIPPED,
                    "VIRTIO_NET_F_STATUS not offered: the device reports no link state (always up)");
        }
        return offline("link", () -> {
            long start = adapter.device.transport.clock().nanoTime();
            long deadline = start + LINK_WAIT_NANOS;
            while (!adapter.linkUp()) {
                if (adapter.device.transport.clock().nanoTime() - deadline >= 0) {
                    int s = adapter.device.transport.readNetStatus();
                    return new SelfTestResult("link", Outcome.FAIL, String.format(
                            "status.LINK_UP not set within %d ms (virtio_net_config.status=0x%04X)",
                            LINK_WAIT_NANOS / 1_000_000, s & 0xFFFF));
                }
                host.idle(java.time.Duration.ofMillis(10));
            }
            return new SelfTestResult("link", Outcome.PASS, String.format("status.LINK_UP after %d ms",
                    (adapter.device.transport.clock().nanoTime() - start) / 1_000_000));
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
        return VirtioRegisterDump.read(adapter, readClearOnRead);
    }

    // ---- counters -----------------------------------------------------------------------------------

    /** virtio-net has no hardware counters: these are the driver's, per queue. */
    @Override
    public Map<String, Long> counters() {
        VirtioRxQueue rx = adapter.queues.rx;
        VirtioTxQueue tx = adapter.queues.tx;
        ControlQueue ctrl = adapter.queues.ctrl;
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rxq0_frames", rx.frames);
        m.put("rxq0_bytes", rx.bytes);
        m.put("rxq0_dropped", rx.dropped);
        m.put("rxq0_filtered", rx.filtered);
        m.put("rxq0_length_errors", rx.lengthErrors);
        m.put("rxq0_ring_errors", rx.ringErrors);
        m.put("rxq0_notifies", rx.notifies);
        for (int k = 1; k < adapter.queues.rxQueues.length; k++) {
            VirtioRxQueue q = adapter.queues.rxQueues[k];
            m.put("rxq" + k + "_frames", q.frames);
            m.put("rxq" + k + "_bytes", q.bytes);
            m.put("rxq" + k + "_dropped", q.dropped);
            m.put("rxq" + k + "_filtered", q.filtered);
            m.put("rxq" + k + "_length_errors", q.lengthErrors);
            m.put("rxq" + k + "_ring_errors", q.ringErrors);
            m.put("rxq" + k + "_notifies", q.notifies);
        }
        m.put("txq0_frames", tx.frames);
        m.put("txq0_bytes", tx.bytes);
        m.put("txq0_errors", tx.errors);
        m.put("txq0_notifies", tx.notifies);
        m.put("ctrlq_commands", ctrl == null ? 0 : ctrl.commands);
        m.put("ctrlq_failures", ctrl == null ? 0 : ctrl.failures);
        m.put("config_interrupts", adapter.link.configInterrupts);
        return m;
    }

    @Override
    public String countersTitle() {
        return "queue counters (kept by the driver: virtio-net has no hardware counters)";
    }

    @Override
    public Map<String, Long> driverCounters() {
        long indicated = 0;
        long dropped = 0;
        for (VirtioRxQueue q : adapter.queues.rxQueues) {
            indicated += q.frames;
            dropped += q.dropped;
        }
        return Map.of("tx_completed", adapter.queues.tx.frames, "rx_indicated", indicated, "rx_dropped", dropped,
                "resets", adapter.recovery.resets);
    }

    /** virtio-net cannot loop frames back inside the device. */
    @Override
    public Optional<Loopback> loopback() {
        return Optional.empty();
    }
}
