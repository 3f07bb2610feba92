package io.nicup.ndis.miniport.i82574;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.miniport.intel.IntelChipProfile;
import io.nicup.ndis.miniport.intel.IntelMiniport;
import java.time.Duration;

/**
 * The Intel 82574L NDIS 6.30 miniport driver (8086:10D3): the {@link IntelMiniport} over the
 * {@link Chip82574} profile.
 *
 * <h2>Bring-up on a PCI function (what the CLI does)</h2>
 * {@snippet :
 * try (NdisHost host = new NdisHost(HostOptions.defaults());
 *      PciDevice pci = VfioPciDevice.open(PciAddress.parse("0000:01:00.0"))) {
 *     Miniport82574 driver = new Miniport82574();
 *     LoadedDriver drv = host.loadDriver(Miniport82574.NAME, driver::driverEntry, RegistryPath.load(paramFile));
 *     FrameEdge edge = new FrameEdge();                          // or any NdisProtocolEdge
 *     MiniportAdapter a = host.addAdapter(drv, pci, edge);       // a.initStatus(): SUCCESS or the failure
 *     IntelAdapter<Chip82574> nic = driver.adapter(a);          // the 82574L view: diagnostics, registers
 *     FrameEdge.setPacketFilter(host, a, NdisPacketFilter.DIRECTED | NdisPacketFilter.BROADCAST);
 *     host.restart(a);
 *     driver.awaitLink(host, a, Duration.ofSeconds(5));
 *     FrameEdge.send(host, a, host.allocateSendPool(a, 64, 2048), List.of(frame));
 *     host.pause(a); host.halt(a, HaltAction.NdisHaltDeviceDisabled); host.unloadDriver(drv);
 * }
 * }
 */
public final class Miniport82574 extends IntelMiniport<Chip82574> {

    /** Driver name in traces. */
    public static final String NAME = "e82574";
    public static final int VENDOR_ID = 0x8086;
    /** {@code E1000_DEV_ID_82574L} (docs/hardware-reference.md B.1). */
    public static final int DEVICE_ID = 0x10D3;

    public static final IntelChipProfile<Chip82574> PROFILE = new IntelChipProfile<>(VENDOR_ID, DEVICE_ID, "82574L",
            NAME, "Intel 82574L Gigabit Ethernet (e1000e)", Regs82574.STATUS, Status.LU, Chip82574::new);

    public Miniport82574() {
        super(PROFILE);
    }

    @Override
    public E82574Diagnostics diagnostics(NdisHost host, MiniportAdapter adapter) {
        return E82574Diagnostics.of(host, this, adapter);
    }

    /** {@link #awaitLink} for callers without a driver instance. */
    public static boolean awaitLinkUp(NdisHost host, MiniportAdapter a, Duration timeout) {
        return IntelMiniport.awaitLinkUp(PROFILE, host, a, timeout);
    }
}
