package io.nicup.ndis.miniport.core;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapterAttributes;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.OffloadAttributes;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.oid.NdisOffload;
import io.nicup.ndis.oid.NdisOffloadParameters;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidRequestType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The offload and RSS side of MiniportInitializeEx and MiniportOidRequest, written once for every family
 * over the chip's {@link OffloadCapabilities} (docs/ndis-contract.md §9, §10):
 * <ul>
 *   <li>{@link #supportedOids()}: the OIDs to add to SupportedOidList, none without capabilities;</li>
 *   <li>{@link #generalAttributes}: RecvScaleCapabilities in the general attributes;</li>
 *   <li>{@link #setOffloadAttributes()}: the offload attributes after the general ones, the default
 *       configuration being what the hardware offers and the keywords leave on;</li>
 *   <li>{@link #request}: OID_TCP_OFFLOAD_PARAMETERS (the change indicated with
 *       NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG), OID_OFFLOAD_ENCAPSULATION and
 *       OID_GEN_RECEIVE_SCALE_PARAMETERS (a refused set keeps the configuration in force; an accepted one
 *       goes to the family's {@code rssProgramming} hook, which programs the hardware).</li>
 * </ul>
 * A chip without capabilities answers every one of these OIDs NOT_SUPPORTED and sets no attribute.
 */
public final class OffloadOids {

    /** NDIS_OFFLOAD_ENCAPSULATION: Header, then IPv4 and IPv6 {Enabled, EncapsulationType, HeaderSize}. */
    static final int ENCAPSULATION_SIZE = 28;
    static final int NDIS_OBJECT_TYPE_OFFLOAD_ENCAPSULATION = 0xA8;
    private static final int ETHERNET_HEADER = 14;

    private final Ndis ndis;
    private final NdisAdapterHandle handle;
    private final OffloadCapabilities caps;
    private final OffloadKeywords keywords;
    private final ToIntFunction<NdisReceiveScaleParameters> rssProgramming;
    /** The chip's RSS capabilities as the keywords leave them (null without RSS). */
    private final NdisReceiveScaleCapabilities receiveScaleCaps;
    /** Volatile: the data path reads what the OID path sets. */
    private volatile NdisOffload current;
    /** {@link #current}'s transmit and receive checksums as bit masks, for the data path (one read per batch). */
    private volatile int transmitChecksums;
    private volatile int receiveChecksums;
    /** Told of every new configuration (a family reprograms its receive checksum unit); may be null. */
    private volatile Consumer<NdisOffload> configurationListener;
    private volatile NdisReceiveScaleParameters rss = NdisReceiveScaleParameters.DISABLED;
    private final byte[] encapsulation = new byte[ENCAPSULATION_SIZE];

    /**
     * @param rssProgramming programs an accepted RSS configuration into the hardware (called with the OID
     *     request, before it completes); unused without RSS
     */
    public OffloadOids(Ndis ndis, NdisAdapterHandle handle, OffloadCapabilities caps, OffloadKeywords keywords,
            Consumer<NdisReceiveScaleParameters> rssProgramming) {
        this(ndis, handle, caps, keywords, (ToIntFunction<NdisReceiveScaleParameters>) rss -> {
            rssProgramming.accept(rss);
            return NdisStatus.SUCCESS;
        });
    }

    /**
     * For a family whose device may refuse a configuration (a command the device acknowledges):
     * {@code rssProgramming} returns the OID's status, and anything but SUCCESS completes the OID with it
     * and keeps the configuration in force.
     */
    public static OffloadOids withRefusal(Ndis ndis, NdisAdapterHandle handle, OffloadCapabilities caps,
            OffloadKeywords keywords, ToIntFunction<NdisReceiveScaleParameters> rssProgramming) {
        return new OffloadOids(ndis, handle, caps, keywords, rssProgramming);
    }

    private OffloadOids(Ndis ndis, NdisAdapterHandle handle, OffloadCapabilities caps, OffloadKeywords keywords,
            ToIntFunction<NdisReceiveScaleParameters> rssProgramming) {
        this.ndis = ndis;
        this.handle = handle;
        this.caps = caps;
        this.keywords = keywords;
        this.rssProgramming = rssProgramming;
        setCurrent(keywords.defaultConfiguration(caps.hardware()));
        this.receiveScaleCaps = caps.rss() ? keywords.receiveScale(caps.receiveScale()) : null;
    }

    /** {@code base} with the OIDs the capabilities bring; {@code base} itself without capabilities. */
    public int[] supportedOids(int[] base) {
        int[] extra = supportedOids();
        int[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    public int[] supportedOids() {
        int[] offload = caps.offloads() ? new int[] {Oid.TCP_OFFLOAD_PARAMETERS, Oid.OFFLOAD_ENCAPSULATION,
            Oid.TCP_OFFLOAD_CURRENT_CONFIG} : new int[0];
        int[] rssOids = rssOn() ? new int[] {Oid.GEN_RECEIVE_SCALE_CAPABILITIES, Oid.GEN_RECEIVE_SCALE_PARAMETERS}
                : new int[0];
        int[] all = Arrays.copyOf(offload, offload.length + rssOids.length);
        System.arraycopy(rssOids, 0, all, offload.length, rssOids.length);
        return all;
    }

    /** RSS is offered: the chip has it and {@code *RSS} leaves it on. */
    private boolean rssOn() {
        return caps.rss() && keywords.rss();
    }

    /** The general attributes with RecvScaleCapabilities when RSS is offered. */
    public MiniportAdapterAttributes.General.Builder generalAttributes(MiniportAdapterAttributes.General.Builder b) {
        return rssOn() ? b.recvScaleCapabilities(receiveScaleCaps) : b;
    }

    /** The offload attributes, after the general attributes; SUCCESS without doing anything when none. */
    public int setOffloadAttributes() {
        if (!caps.offloads()) {
            return NdisStatus.SUCCESS;
        }
        return ndis.NdisMSetMiniportAttributes(handle, OffloadAttributes.of(current, caps.hardware()));
    }

    /** The offload configuration in force (what the data path may use). */
    public NdisOffload current() {
        return current;
    }

    /**
     * The transmit checksums in force as NBL transmit flags (NetBufferListInfo TX_TCP_CHECKSUM,
     * TX_UDP_CHECKSUM, TX_IP_HEADER_CHECKSUM): IPv4 in bits 0-7, IPv6 in bits 8-15; 0 when none.
     */
    public int transmitChecksums() {
        return transmitChecksums;
    }

    /** The receive checksums in force, encoded as {@link #transmitChecksums()}: the verdicts to report. */
    public int receiveChecksums() {
        return receiveChecksums;
    }

    /** Calls {@code listener} with each new configuration an OID sets, before the OID completes. */
    public void onConfigurationChange(Consumer<NdisOffload> listener) {
        this.configurationListener = listener;
    }

    private void setCurrent(NdisOffload c) {
        NdisOffload.Checksum k = c.checksum();
        transmitChecksums = checksumBits(k.ipv4Transmit()) | checksumBits(k.ipv6Transmit()) << 8;
        receiveChecksums = checksumBits(k.ipv4Receive()) | checksumBits(k.ipv6Receive()) << 8;
        current = c;
    }

    private static int checksumBits(NdisOffload.Direction d) {
        return (d.tcpChecksum() ? NetBufferListInfo.TX_TCP_CHECKSUM : 0)
                | (d.udpChecksum() ? NetBufferListInfo.TX_UDP_CHECKSUM : 0)
                | (d.ipChecksum() ? NetBufferListInfo.TX_IP_HEADER_CHECKSUM : 0);
    }

    /** The RSS configuration in force. */
    public NdisReceiveScaleParameters receiveScale() {
        return rss;
    }

    /** Handles the offload and RSS OIDs; NOT_SUPPORTED for every other OID and without capabilities. */
    public int request(NdisOidRequest r) {
        boolean set = r.requestType() == OidRequestType.NdisRequestSetInformation;
        return switch (r.oid()) {
            case Oid.TCP_OFFLOAD_PARAMETERS -> caps.offloads() && set ? setOffloadParameters(r) : NdisStatus.NOT_SUPPORTED;
            case Oid.OFFLOAD_ENCAPSULATION -> !caps.offloads() ? NdisStatus.NOT_SUPPORTED
                    : set ? setEncapsulation(r) : r.queryBytes(encapsulation);
            case Oid.GEN_RECEIVE_SCALE_PARAMETERS -> !rssOn() ? NdisStatus.NOT_SUPPORTED
                    : set ? setReceiveScale(r) : queryReceiveScale(r);
            default -> NdisStatus.NOT_SUPPORTED;
        };
    }

    private int setOffloadParameters(NdisOidRequest r) {
        NdisOffloadParameters.Outcome o = NdisOffloadParameters.apply(r.informationBuffer(), current, caps.hardware());
        if (o.status() != NdisStatus.SUCCESS) {
            r.setBytesNeeded(o.bytesNeeded());
            return o.status();
        }
        r.setBytesRead(NdisOffloadParameters.SIZEOF_REVISION_1);
        if (!o.configuration().equals(current)) {
            setCurrent(o.configuration());
            Consumer<NdisOffload> listener = configurationListener;
            if (listener != null) {
                listener.accept(current);
            }
            ndis.NdisMIndicateStatusEx(handle, new NdisStatusIndication(NdisStatus.TASK_OFFLOAD_CURRENT_CONFIG,
                    current, 0));
        }
        return NdisStatus.SUCCESS;
    }

    /** OID_OFFLOAD_ENCAPSULATION: only IEEE 802.3 with a 14-byte header can be turned on (Ethernet). */
    private int setEncapsulation(NdisOidRequest r) {
        int status = r.requireLength(ENCAPSULATION_SIZE);
        if (status != NdisStatus.SUCCESS) {
            return status;
        }
        MemorySegment b = r.informationBuffer();
        if ((b.get(ValueLayout.JAVA_BYTE, 0) & 0xFF) != NDIS_OBJECT_TYPE_OFFLOAD_ENCAPSULATION) {
            return NdisStatus.INVALID_DATA;
        }
        for (int at = 4; at < ENCAPSULATION_SIZE; at += 12) {
            int enabled = r.readUlong(at);
            int type = r.readUlong(at + 4);
            int headerSize = r.readUlong(at + 8);
            if (enabled == 1 && (type != NdisOffload.NDIS_ENCAPSULATION_IEEE_802_3 || headerSize != ETHERNET_HEADER)) {
                return NdisStatus.INVALID_DATA;
            }
        }
        b.asSlice(0, ENCAPSULATION_SIZE).asByteBuffer().get(encapsulation);
        r.setBytesRead(ENCAPSULATION_SIZE);
        return NdisStatus.SUCCESS;
    }

    private int setReceiveScale(NdisOidRequest r) {
        switch (NdisReceiveScaleParameters.parse(r.informationBuffer(), receiveScaleCaps, rss)) {
            case NdisReceiveScaleParameters.Accepted a -> {
                int status = rssProgramming.applyAsInt(a.parameters());
                if (status != NdisStatus.SUCCESS) {
                    return status;
                }
                rss = a.parameters();
                r.setBytesRead(r.informationBufferLength());
                return NdisStatus.SUCCESS;
            }
            case NdisReceiveScaleParameters.Refused refused -> {
                r.setBytesNeeded(refused.bytesNeeded());
                return refused.status();
            }
        }
    }

    /** The configuration in force as an NDIS_RECEIVE_SCALE_PARAMETERS revision 2, table and key appended. */
    private int queryReceiveScale(NdisOidRequest r) {
        int[] table = rss.indirectionTable();
        byte[] key = rss.hashSecretKey();
        int size = NdisReceiveScaleParameters.SIZEOF_REVISION[2] + 4 * table.length + key.length;
        byte[] out = new byte[size];
        MemorySegment b = MemorySegment.ofArray(out);
        b.set(ValueLayout.JAVA_BYTE, 0, (byte) NdisReceiveScaleParameters.NDIS_OBJECT_TYPE_RSS_PARAMETERS);
        b.set(ValueLayout.JAVA_BYTE, 1, (byte) 2);
        b.set(NdisOidRequest.USHORT, 2, (short) NdisReceiveScaleParameters.SIZEOF_REVISION[2]);
        b.set(NdisOidRequest.USHORT, 4, (short) (rss.enabled() ? 0 : NdisReceiveScaleParameters.NDIS_RSS_PARAM_FLAG_DISABLE_RSS));
        b.set(NdisOidRequest.USHORT, 6, (short) rss.baseCpuNumber());
        b.set(NdisOidRequest.ULONG, 8, rss.hashInformation());
        b.set(NdisOidRequest.USHORT, 12, (short) (4 * table.length));
        b.set(NdisOidRequest.ULONG, 16, NdisReceiveScaleParameters.SIZEOF_REVISION[2]);
        b.set(NdisOidRequest.USHORT, 20, (short) key.length);
        b.set(NdisOidRequest.ULONG, 24, NdisReceiveScaleParameters.SIZEOF_REVISION[2] + 4 * table.length);
        for (int i = 0; i < table.length; i++) {
            b.set(ValueLayout.JAVA_BYTE, NdisReceiveScaleParameters.SIZEOF_REVISION[2] + 4L * i + 2,
                    (byte) table[i]);
        }
        System.arraycopy(key, 0, out, NdisReceiveScaleParameters.SIZEOF_REVISION[2] + 4 * table.length, key.length);
        return r.queryBytes(out);
    }
}
