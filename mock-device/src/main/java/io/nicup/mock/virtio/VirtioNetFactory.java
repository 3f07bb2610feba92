package io.nicup.mock.virtio;

import io.nicup.mock.MockConfigSpace;
import io.nicup.mock.MockDmaAllocator;
import io.nicup.mock.MockSpec;
import io.nicup.mock.ModelFactory;
import io.nicup.mock.VirtualClock;
import io.nicup.mock.Wire;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.PciAddress;

import java.util.Map;

/** Registers the virtio-net model as {@code mock:virtio-net}. */
public final class VirtioNetFactory extends ModelFactory<VirtioNetFault> {

    /** Where the device says it is unless the spec's {@code address} says otherwise. */
    public static final PciAddress DEFAULT_ADDRESS = new PciAddress(0, 0, 2, 0);

    public VirtioNetFactory() {
        super(VirtioNetModel.NAME, "virtio-net 1.x over modern virtio-pci (disable-legacy=on, iommu_platform=on), model after QEMU 7.2",
                VirtioNetFault.class, VirtioNetModel.DEFAULT_MAC, DEFAULT_ADDRESS);
    }

    /** The common parameters, {@code offload} and {@code rss}. */
    @Override
    public Map<String, String> parameters() {
        Map<String, String> all = new java.util.LinkedHashMap<>(super.parameters());
        all.put("offload", "on: offer CSUM, GUEST_CSUM, HOST_TSO4 and HOST_TSO6, as QEMU does with a tap peer;"
                + " off (default): not, as with a socket peer");
        all.put("rss", "on: offer RSS and HASH_REPORT (QEMU's rss=on,hash=on over a tap peer), one queue pair;"
                + " hash: HASH_REPORT only (hash=on); off (default): neither");
        all.put("queues", "N (1-" + VirtioNetModel.MAX_QUEUE_PAIRS + ", default 1): max_virtqueue_pairs; above 1 the"
                + " device offers MQ with N receive/transmit pairs and 2N+2 MSI-X vectors (QEMU's mq=on, queues=N)");
        return all;
    }

    @Override
    protected VirtioNetModel build(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire,
            byte[] mac, Map<VirtioNetFault, Long> faults, MockSpec spec) {
        String offload = spec.param("offload").orElse("off");
        if (!offload.equals("on") && !offload.equals("off")) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "mock parameter is not on or off: offload="
                    + offload, "write offload=on or offload=off");
        }
        long rss = switch (spec.param("rss").orElse("off")) {
            case "on" -> VirtioNetModel.RSS_FEATURES;
            case "hash" -> VirtioNetModel.F_HASH_REPORT;
            case "off" -> 0L;
            default -> throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "mock parameter is not on, hash"
                    + " or off: rss=" + spec.param("rss").orElse(""), "write rss=on, rss=hash or rss=off");
        };
        String queues = spec.param("queues").orElse("1");
        int pairs;
        try {
            pairs = Integer.parseInt(queues);
        } catch (NumberFormatException e) {
            pairs = 0;
        }
        if (pairs < 1 || pairs > VirtioNetModel.MAX_QUEUE_PAIRS) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "mock parameter out of range: queues=" + queues
                    + " (1-" + VirtioNetModel.MAX_QUEUE_PAIRS + ")", "write queues=N with N from 1 to "
                    + VirtioNetModel.MAX_QUEUE_PAIRS);
        }
        return new VirtioNetModel(clock, config, dma, wire, mac, faults,
                (offload.equals("on") ? VirtioNetModel.OFFLOAD_FEATURES : 0) | rss, pairs);
    }

    @Override
    protected VirtioNetModel build(VirtualClock clock, MockConfigSpace config, MockDmaAllocator dma, Wire wire, byte[] mac,
            Map<VirtioNetFault, Long> faults) {
        return new VirtioNetModel(clock, config, dma, wire, mac, faults);
    }
}
