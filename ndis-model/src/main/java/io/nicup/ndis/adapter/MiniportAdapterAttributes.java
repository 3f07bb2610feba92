package io.nicup.ndis.adapter;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisObjectHeader;
import io.nicup.ndis.NdisVersion;
import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisInterfaceType;
import io.nicup.ndis.oid.NdisMedium;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisPhysicalMedium;
import io.nicup.ndis.oid.NdisPmCapabilities;
import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a miniport passes to {@link Ndis#NdisMSetMiniportAttributes} during MiniportInitializeEx
 * (docs/ndis-contract.md §2): first the {@link Registration} attributes, before it claims any hardware or
 * sets up DMA; then the mandatory {@link General} attributes, before it returns SUCCESS.
 *
 * {@snippet :
 * ndis.NdisMSetMiniportAttributes(handle, MiniportAdapterAttributes.registration(adapter)
 *         .attributeFlags(Registration.HARDWARE_DEVICE | Registration.BUS_MASTER)
 *         .checkForHangTimeInSeconds(4)
 *         .build());
 * }
 */
public sealed interface MiniportAdapterAttributes permits MiniportAdapterAttributes.Registration,
        MiniportAdapterAttributes.General, OffloadAttributes, HardwareAssistAttributes {

    NdisObjectHeader header();

    static Registration.Builder registration(Object miniportAdapterContext) {
        return new Registration.Builder(miniportAdapterContext);
    }

    static General.Builder general() {
        return new General.Builder();
    }

    /**
     * NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES. Header revision 1 (NDIS 6.0) or 2 (NDIS 6.30, more
     * AttributeFlags); any other revision is BAD_VERSION.
     *
     * @param miniportAdapterContext what every adapter handler receives as its {@code A}
     * @param checkForHangTimeInSeconds 0 means 2 seconds
     */
    record Registration(NdisObjectHeader header, Object miniportAdapterContext, int attributeFlags,
            int checkForHangTimeInSeconds, NdisInterfaceType interfaceType) implements MiniportAdapterAttributes {

        public static final int REVISION_1 = 1;
        public static final int REVISION_2 = 2;

        // NDIS_MINIPORT_ATTRIBUTES_* (WRS: windows-sys Wdk::NetworkManagement::Ndis constants)
        public static final int HARDWARE_DEVICE = 0x0000_0001;
        public static final int NDIS_WDM = 0x0000_0002;
        public static final int SURPRISE_REMOVE_OK = 0x0000_0004;
        public static final int NOT_CO_NDIS = 0x0000_0008;
        public static final int DO_NOT_BIND_TO_ALL_CO = 0x0000_0010;
        public static final int NO_HALT_ON_SUSPEND = 0x0000_0020;
        public static final int BUS_MASTER = 0x0000_0040;
        public static final int CONTROLS_DEFAULT_PORT = 0x0000_0080;

        /** Default CheckForHang interval when CheckForHangTimeInSeconds is 0 (docs/ndis-contract.md §2). */
        public static final int DEFAULT_CHECK_FOR_HANG_SECONDS = 2;

        /** The interval NDIS uses. */
        public int effectiveCheckForHangSeconds() {
            return checkForHangTimeInSeconds == 0 ? DEFAULT_CHECK_FOR_HANG_SECONDS : checkForHangTimeInSeconds;
        }

        public static final class Builder {
            private int revision = REVISION_1;
            private final Object context;
            private int attributeFlags = HARDWARE_DEVICE;
            private int checkForHangTimeInSeconds;
            private NdisInterfaceType interfaceType = NdisInterfaceType.NdisInterfacePci;

            Builder(Object context) {
                this.context = context;
            }

            public Builder revision(int value) {
                this.revision = value;
                return this;
            }

            public Builder attributeFlags(int value) {
                this.attributeFlags = value;
                return this;
            }

            public Builder checkForHangTimeInSeconds(int value) {
                this.checkForHangTimeInSeconds = value;
                return this;
            }

            public Builder interfaceType(NdisInterfaceType value) {
                this.interfaceType = value;
                return this;
            }

            public Registration build() {
                return new Registration(new NdisObjectHeader(
                        NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, revision, 0),
                        context, attributeFlags, checkForHangTimeInSeconds, interfaceType);
            }
        }
    }

    /**
     * NDIS_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES, the fields docs/ndis-contract.md §2 calls mandatory. Header
     * revision 1 or 2 (revision 2, NDIS 6.20, carries PowerManagementCapabilitiesEx, mandatory from 6.20);
     * any other revision is BAD_VERSION. UNCONFIRMED which revisions exist beyond 2; nicup accepts 1 and 2.
     *
     * <p>Link speeds are bits per second; {@link #LINK_SPEED_UNKNOWN} for unknown current speeds.
     * The builder does not check completeness: NdisMSetMiniportAttributes does, and names each problem.
     */
    record General(NdisObjectHeader header, NdisMedium mediaType, NdisPhysicalMedium physicalMediumType,
            int mtuSize, long maxXmitLinkSpeed, long xmitLinkSpeed, long maxRcvLinkSpeed, long rcvLinkSpeed,
            MediaConnectState mediaConnectState, MediaDuplexState mediaDuplexState, int lookaheadSize,
            int macOptions, int supportedPacketFilters, int maxMulticastListSize, int macAddressLength,
            MacAddress permanentMacAddress, MacAddress currentMacAddress, int ifType, int supportedStatistics,
            int[] supportedOidList, NdisPmCapabilities powerManagementCapabilitiesEx,
            NdisReceiveScaleCapabilities recvScaleCapabilities)
            implements MiniportAdapterAttributes {

        public static final int REVISION_1 = 1;
        public static final int REVISION_2 = 2;
        /** NDIS_LINK_SPEED_UNKNOWN: all ones. */
        public static final long LINK_SPEED_UNKNOWN = -1L;
        /** IANA ifType ethernetCsmacd (IF_TYPE_ETHERNET_CSMACD). */
        public static final int IF_TYPE_ETHERNET_CSMACD = 6;

        public General {
            supportedOidList = supportedOidList == null ? new int[0] : supportedOidList.clone();
        }

        @Override
        public int[] supportedOidList() {
            return supportedOidList.clone();
        }

        public boolean supportsOid(int oid) {
            for (int o : supportedOidList) {
                if (o == oid) {
                    return true;
                }
            }
            return false;
        }

        /** Every missing or inconsistent field, for the NDIS version the driver registered with. */
        List<String> problems(NdisVersion version) {
            List<String> p = new ArrayList<>();
            if (mediaType == null) {
                p.add("MediaType missing");
            }
            if (physicalMediumType == null) {
                p.add("PhysicalMediumType missing");
            }
            if (mtuSize <= 0) {
                p.add("MtuSize=" + mtuSize);
            }
            if (maxXmitLinkSpeed <= 0 || maxRcvLinkSpeed <= 0) {
                p.add("MaxXmitLinkSpeed=" + maxXmitLinkSpeed + " MaxRcvLinkSpeed=" + maxRcvLinkSpeed);
            }
            if (badCurrent(xmitLinkSpeed, maxXmitLinkSpeed) || badCurrent(rcvLinkSpeed, maxRcvLinkSpeed)) {
                p.add("XmitLinkSpeed=" + xmitLinkSpeed + " RcvLinkSpeed=" + rcvLinkSpeed + " above maximum or negative");
            }
            if (mediaConnectState == null) {
                p.add("MediaConnectState missing");
            }
            if (mediaDuplexState == null) {
                p.add("MediaDuplexState missing");
            }
            if (lookaheadSize < 0) {
                p.add("LookaheadSize=" + lookaheadSize);
            }
            if (supportedPacketFilters == 0) {
                p.add("SupportedPacketFilters=0");
            } else if ((supportedPacketFilters & ~NdisPacketFilter.ALL_KNOWN) != 0) {
                p.add(String.format("SupportedPacketFilters=0x%X has unknown bits", supportedPacketFilters));
            }
            if (maxMulticastListSize < 0) {
                p.add("MaxMulticastListSize=" + maxMulticastListSize);
            }
            if (macAddressLength != MacAddress.LENGTH) {
                p.add("MacAddressLength=" + macAddressLength + " (802.3 needs 6)");
            }
            if (permanentMacAddress == null || currentMacAddress == null) {
                p.add("PermanentMacAddress/CurrentMacAddress missing");
            } else if (!currentMacAddress.isValidUnicast()) {
                p.add("CurrentMacAddress=" + currentMacAddress + " not a unicast address");
            }
            if (ifType <= 0) {
                p.add("IfType=" + ifType);
            }
            if (supportedOidList.length == 0) {
                p.add("SupportedOidList empty");
            }
            if (version.atLeast(NdisVersion.NDIS_6_20)) {
                if (powerManagementCapabilitiesEx == null) {
                    p.add("PowerManagementCapabilitiesEx missing (mandatory from NDIS 6.20)");
                } else if (header.revision() < REVISION_2) {
                    p.add("PowerManagementCapabilitiesEx needs Header.Revision 2");
                }
            }
            return p;
        }

        private static boolean badCurrent(long current, long max) {
            return current != LINK_SPEED_UNKNOWN && (current < 0 || current > max);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof General g && java.util.Objects.equals(header, g.header) && mediaType == g.mediaType
                    && physicalMediumType == g.physicalMediumType && mtuSize == g.mtuSize
                    && maxXmitLinkSpeed == g.maxXmitLinkSpeed && xmitLinkSpeed == g.xmitLinkSpeed
                    && maxRcvLinkSpeed == g.maxRcvLinkSpeed && rcvLinkSpeed == g.rcvLinkSpeed
                    && mediaConnectState == g.mediaConnectState && mediaDuplexState == g.mediaDuplexState
                    && lookaheadSize == g.lookaheadSize && macOptions == g.macOptions
                    && supportedPacketFilters == g.supportedPacketFilters
                    && maxMulticastListSize == g.maxMulticastListSize && macAddressLength == g.macAddressLength
                    && java.util.Objects.equals(permanentMacAddress, g.permanentMacAddress)
                    && java.util.Objects.equals(currentMacAddress, g.currentMacAddress) && ifType == g.ifType
                    && supportedStatistics == g.supportedStatistics
                    && Arrays.equals(supportedOidList, g.supportedOidList)
                    && java.util.Objects.equals(powerManagementCapabilitiesEx, g.powerManagementCapabilitiesEx)
                    && java.util.Objects.equals(recvScaleCapabilities, g.recvScaleCapabilities);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(mtuSize, currentMacAddress, maxXmitLinkSpeed, Arrays.hashCode(supportedOidList));
        }

        @Override
        public String toString() {
            return "General{mtu=" + mtuSize + " mac=" + currentMacAddress + " speed=" + maxXmitLinkSpeed
                    + " connect=" + mediaConnectState + " filters=0x" + Integer.toHexString(supportedPacketFilters)
                    + " multicast=" + maxMulticastListSize + " oids=" + Arrays.toString(supportedOidList) + "}";
        }

        public static final class Builder {
            private int revision = REVISION_2;
            private NdisMedium mediaType = NdisMedium.NdisMedium802_3;
            private NdisPhysicalMedium physicalMediumType = NdisPhysicalMedium.NdisPhysicalMedium802_3;
            private int mtuSize;
            private long maxXmitLinkSpeed;
            private long xmitLinkSpeed = LINK_SPEED_UNKNOWN;
            private long maxRcvLinkSpeed;
            private long rcvLinkSpeed = LINK_SPEED_UNKNOWN;
            private MediaConnectState mediaConnectState = MediaConnectState.MediaConnectStateUnknown;
            private MediaDuplexState mediaDuplexState = MediaDuplexState.MediaDuplexStateUnknown;
            private int lookaheadSize;
            private int macOptions;
            private int supportedPacketFilters;
            private int maxMulticastListSize;
            private int macAddressLength = MacAddress.LENGTH;
            private MacAddress permanentMacAddress;
            private MacAddress currentMacAddress;
            private int ifType = IF_TYPE_ETHERNET_CSMACD;
            private int supportedStatistics;
            private int[] supportedOidList = new int[0];
            private NdisPmCapabilities powerManagementCapabilitiesEx;
            private NdisReceiveScaleCapabilities recvScaleCapabilities;

            Builder() {
            }

            public Builder revision(int value) {
                this.revision = value;
                return this;
            }

            public Builder mediaType(NdisMedium value) {
                this.mediaType = value;
                return this;
            }

            public Builder physicalMediumType(NdisPhysicalMedium value) {
                this.physicalMediumType = value;
                return this;
            }

            public Builder mtuSize(int value) {
                this.mtuSize = value;
                return this;
            }

            /** Maximum and current, both directions, bits per second. */
            public Builder linkSpeeds(long maxBitsPerSecond, long currentBitsPerSecond) {
                this.maxXmitLinkSpeed = maxBitsPerSecond;
                this.maxRcvLinkSpeed = maxBitsPerSecond;
                this.xmitLinkSpeed = currentBitsPerSecond;
                this.rcvLinkSpeed = currentBitsPerSecond;
                return this;
            }

            public Builder maxXmitLinkSpeed(long value) {
                this.maxXmitLinkSpeed = value;
                return this;
            }

            public Builder xmitLinkSpeed(long value) {
                this.xmitLinkSpeed = value;
                return this;
            }

            public Builder maxRcvLinkSpeed(long value) {
                this.maxRcvLinkSpeed = value;
                return this;
            }

            public Builder rcvLinkSpeed(long value) {
                this.rcvLinkSpeed = value;
                return this;
            }

            public Builder mediaConnectState(MediaConnectState value) {
                this.mediaConnectState = value;
                return this;
            }

            public Builder mediaDuplexState(MediaDuplexState value) {
                this.mediaDuplexState = value;
                return this;
            }

            public Builder lookaheadSize(int value) {
                this.lookaheadSize = value;
                return this;
            }

            public Builder macOptions(int value) {
                this.macOptions = value;
                return this;
            }

            public Builder supportedPacketFilters(int value) {
                this.supportedPacketFilters = value;
                return this;
            }

            public Builder maxMulticastListSize(int value) {
                this.maxMulticastListSize = value;
                return this;
            }

            public Builder macAddressLength(int value) {
                this.macAddressLength = value;
                return this;
            }

            public Builder permanentMacAddress(MacAddress value) {
                this.permanentMacAddress = value;
                return this;
            }

            public Builder currentMacAddress(MacAddress value) {
                this.currentMacAddress = value;
                return this;
            }

            public Builder ifType(int value) {
                this.ifType = value;
                return this;
            }

            public Builder supportedStatistics(int value) {
                this.supportedStatistics = value;
                return this;
            }

            public Builder supportedOidList(int... oids) {
                this.supportedOidList = oids.clone();
                return this;
            }

            public Builder powerManagementCapabilitiesEx(NdisPmCapabilities value) {
                this.powerManagementCapabilitiesEx = value;
                return this;
            }

            /** RecvScaleCapabilities: the NIC's RSS (docs/ndis-contract.md §10); absent without RSS. */
            public Builder recvScaleCapabilities(NdisReceiveScaleCapabilities value) {
                this.recvScaleCapabilities = value;
                return this;
            }

            public General build() {
                return new General(new NdisObjectHeader(
                        NdisObjectHeader.NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_GENERAL_ATTRIBUTES, revision, 0),
                        mediaType, physicalMediumType, mtuSize, maxXmitLinkSpeed, xmitLinkSpeed, maxRcvLinkSpeed,
                        rcvLinkSpeed, mediaConnectState, mediaDuplexState, lookaheadSize, macOptions,
                        supportedPacketFilters, maxMulticastListSize, macAddressLength, permanentMacAddress,
                        currentMacAddress, ifType, supportedStatistics, supportedOidList,
                        powerManagementCapabilitiesEx, recvScaleCapabilities);
            }
        }
    }
}
