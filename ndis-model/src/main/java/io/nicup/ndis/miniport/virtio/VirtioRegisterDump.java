package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.core.RegisterReading;
import java.util.ArrayList;
import java.util.List;

/**
 * The register dump of a virtio-net adapter, named as in the spec's structs (virtio 1.2, 4.1.4.3 and
 * 5.1.4): the common configuration with each queue's fields, the ISR status (read-to-clear, so only when
 * asked), and the network device configuration. Each offset is the field's offset in its BAR.
 */
final class VirtioRegisterDump {

    private VirtioRegisterDump() {
    }

    /** The common configuration, ISR status (read-to-clear: only with {@code readClearOnRead}), the device configuration. */
    static List<RegisterReading> read(VirtioNetAdapter adapter, boolean readClearOnRead) {
        VirtioTransport t = adapter.device.transport;
        List<RegisterReading> out = new ArrayList<>();
        int base = adapter.device.commonCap.offset();
        synchronized (adapter.ctrlLock) {
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
            for (int q = 0; q < Math.min(nq, adapter.queues.queueVectors.length); q++) {
                t.selectQueue(q);
                String p = "q" + q + ".";
                out.add(new RegisterReading(p + "queue_size", base + CommonCfg.QUEUE_SIZE, t.read16(CommonCfg.QUEUE_SIZE),
                        adapter.queues.nameAt(q)));
                int qv = t.read16(CommonCfg.QUEUE_MSIX_VECTOR);
                out.add(new RegisterReading(p + "queue_msix_vector", base + CommonCfg.QUEUE_MSIX_VECTOR, qv, vector(qv)));
                int en = t.read16(CommonCfg.QUEUE_ENABLE);
                out.add(new RegisterReading(p + "queue_enable", base + CommonCfg.QUEUE_ENABLE, en, en == 1 ? "enabled" : "disabled"));
                int no = t.read16(CommonCfg.QUEUE_NOTIFY_OFF);
                out.add(new RegisterReading(p + "queue_notify_off", base + CommonCfg.QUEUE_NOTIFY_OFF, no,
                        String.format("doorbell at BAR%d+0x%X", adapter.device.notifyCap.bar(), t.notifyOffset(no))));
                addAddress(out, p + "queue_desc", base + CommonCfg.QUEUE_DESC, t.read64(CommonCfg.QUEUE_DESC));
                addAddress(out, p + "queue_driver", base + CommonCfg.QUEUE_DRIVER, t.read64(CommonCfg.QUEUE_DRIVER));
                addAddress(out, p + "queue_device", base + CommonCfg.QUEUE_DEVICE, t.read64(CommonCfg.QUEUE_DEVICE));
            }
        }
        if (readClearOnRead) {
            int isr = t.readIsr();
            out.add(new RegisterReading("isr_status", adapter.device.isrCap.offset(), isr,
                    ((isr & 1) != 0 ? "QUEUE " : "") + ((isr & 2) != 0 ? "CONFIG" : "")));
        }
        if (t.hasDeviceConfig()) {
            int dbase = adapter.device.deviceCap.offset();
            byte[] mac = new byte[6];
            for (int i = 0; i < 6; i++) {
                mac[i] = (byte) t.deviceRead8(NetConfig.MAC + i);
            }
            int macLo = (mac[0] & 0xFF) | (mac[1] & 0xFF) << 8 | (mac[2] & 0xFF) << 16 | (mac[3] & 0xFF) << 24;
            out.add(new RegisterReading("mac", dbase + NetConfig.MAC, macLo, MacAddress.of(mac).toString()
                    + ((adapter.device.features & Features.NET_F_MAC) == 0 ? " (VIRTIO_NET_F_MAC not negotiated)" : "")));
            int s = t.deviceRead16(NetConfig.STATUS);
            out.add(new RegisterReading("status", dbase + NetConfig.STATUS, s, (adapter.device.features & Features.NET_F_STATUS) == 0
                    ? "(VIRTIO_NET_F_STATUS not negotiated)"
                    : ((s & NetConfig.S_LINK_UP) != 0 ? "LINK_UP" : "link down")
                            + ((s & NetConfig.S_ANNOUNCE) != 0 ? " ANNOUNCE" : "")));
            if (adapter.device.negotiated(Features.NET_F_MQ | Features.NET_F_RSS)) {
                int pairs = t.deviceRead16(NetConfig.MAX_VIRTQUEUE_PAIRS);
                out.add(new RegisterReading("max_virtqueue_pairs", dbase + NetConfig.MAX_VIRTQUEUE_PAIRS, pairs,
                        pairs + " pairs; " + adapter.queues.rxQueues.length + " receive queue"
                                + (adapter.queues.rxQueues.length == 1 ? "" : "s") + " in use"));
            }
            if (adapter.device.negotiated(Features.RECEIVE_SCALE)) {       // docs/hardware-reference.md C.10
                int key = t.deviceRead8(NetConfig.RSS_MAX_KEY_SIZE);
                int table = t.deviceRead16(NetConfig.RSS_MAX_TABLE_LENGTH);
                int types = t.deviceRead32(NetConfig.SUPPORTED_HASH_TYPES);
                out.add(new RegisterReading("rss_max_key_size", dbase + NetConfig.RSS_MAX_KEY_SIZE, key, key + " bytes"));
                out.add(new RegisterReading("rss_max_indirection_table_length", dbase + NetConfig.RSS_MAX_TABLE_LENGTH,
                        table, table + " entries"));
                out.add(new RegisterReading("supported_hash_types", dbase + NetConfig.SUPPORTED_HASH_TYPES, types,
                        VirtioReceiveScale.typeNames(types)));
            }
        }
        return out;
    }

    private static String vector(int v) {
        return v == CommonCfg.NO_VECTOR ? "NO_VECTOR" : "vector " + v;
    }

    private static void addAddress(List<RegisterReading> out, String name, int offset, long value) {
        out.add(new RegisterReading(name, offset, (int) value, String.format("0x%016X", value)));
    }
}
