package io.nicup.ndis.miniport.virtio;

import io.nicup.ndis.miniport.core.OffloadKeywords;
import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.config.Keyword;
import io.nicup.ndis.config.NdisConfiguration;
import io.nicup.ndis.config.ParameterValue;
import io.nicup.ndis.config.StandardKeywords;
import java.util.List;

/**
 * The adapter parameters the virtio-net miniport reads in MiniportInitializeEx.
 *
 * @param receiveBuffers receive queue entries wanted (the device's queue_size caps it), a power of two
 * @param transmitBuffers transmit queue entries wanted (two descriptors per frame), a power of two
 * @param interruptMode {@link #INTERRUPT_MODE}: 0 auto (MSI-X, else polling), 1 MSI-X, 4 polling
 * @param networkAddress {@code NetworkAddress}, or null for the device's address
 * @param offload the standardized offload and RSS keywords
 */
public record VirtioNetConfig(int receiveBuffers, int transmitBuffers, int interruptMode, MacAddress networkAddress,
        OffloadKeywords offload) {

    /** {@code *ReceiveBuffers}: 16..4096, default 256 (QEMU's receive queue size, docs/hardware-reference.md C.4 step 8). */
    public static final Keyword RECEIVE_BUFFERS = StandardKeywords.RECEIVE_BUFFERS.withRange(16, 4096).withDefault(256);
    /** {@code *TransmitBuffers}: 16..4096, default 256; a frame takes two descriptors (header, data). */
    public static final Keyword TRANSMIT_BUFFERS = StandardKeywords.TRANSMIT_BUFFERS.withRange(16, 4096).withDefault(256);
    /** nicup keyword: how the device signals. virtio-net has no MSI; INTx is not used (polling instead). */
    public static final Keyword INTERRUPT_MODE = Keyword.enumeration("InterruptMode", 0, new long[] {0, 1, 4},
            "Interrupt mode: 0 auto (MSI-X, else polling), 1 MSI-X, 4 polling (no interrupts)");

    public static final int MODE_AUTO = 0;
    public static final int MODE_MSIX = 1;
    public static final int MODE_POLLING = 4;

    public static List<Keyword> keywords() {
        return List.of(RECEIVE_BUFFERS, TRANSMIT_BUFFERS, INTERRUPT_MODE, StandardKeywords.NETWORK_ADDRESS);
    }

    /** Reads the parameters through NdisOpenConfigurationEx; buffer counts round down to a power of two. */
    static VirtioNetConfig read(Ndis ndis, NdisAdapterHandle handle) {
        NdisConfiguration cfg = ndis.NdisOpenConfigurationEx(handle);
        try {
            int rxCount = Integer.highestOneBit(ndis.NdisReadConfiguration(cfg, RECEIVE_BUFFERS).intValue());
            int txCount = Integer.highestOneBit(ndis.NdisReadConfiguration(cfg, TRANSMIT_BUFFERS).intValue());
            int mode = ndis.NdisReadConfiguration(cfg, INTERRUPT_MODE).intValue();
            ParameterValue address = ndis.NdisReadNetworkAddress(cfg);
            MacAddress override = address.status() == NdisStatus.SUCCESS ? address.macAddress() : null;
            OffloadKeywords offload = OffloadKeywords.read(ndis, cfg);
            return new VirtioNetConfig(rxCount, txCount, mode, override, offload);
        } finally {
            ndis.NdisCloseConfiguration(cfg);
        }
    }
}
