package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import java.lang.foreign.ValueLayout;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.driver.MiniportOidRequest;
import io.nicup.ndis.driver.MiniportPause;
import io.nicup.ndis.driver.MiniportSendNetBufferLists;
import io.nicup.ndis.oid.NdisOidRequest;
import io.nicup.ndis.oid.NdisPacketFilter;
import io.nicup.ndis.oid.NdisReceiveScaleParameters;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidRequestType;
import java.util.ArrayList;
import java.util.List;
import io.nicup.vfio.DeviceClock;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Miniports that break one property each, made by wrapping a real driver's registered handlers: what the
 * fault tests run the battery on, to show each check fails when what it checks is broken.
 */
final class Misbehaving {

    private Misbehaving() {
    }

    /** Keeps every send chain and never completes it: the data path hangs (timed-rules). */
    static Consumer<LoadedDriver> holdsSends() {
        return loaded -> {
            MiniportDriverCharacteristics<Object, Object> c = loaded.characteristics;
            List<Object[]> held = new ArrayList<>();
            MiniportSendNetBufferLists<Object> send = c.sendNetBufferListsHandler();
            MiniportPause<Object> pause = c.pauseHandler();
            c.sendNetBufferListsHandler((ctx, nbls, port, flags) -> held.add(new Object[] {nbls, port, flags}));
            c.pauseHandler((ctx, params) -> {
                // hands the held sends over at last, so the adapter can still halt cleanly
                for (Object[] h : held) {
                    send.sendNetBufferLists(ctx, (NetBufferList) h[0], (int) h[1], (int) h[2]);
                }
                held.clear();
                return pause.pause(ctx, params);
            });
        };
    }

    /** Keeps every send chain and forgets it at the pause: NBLs are lost (pause-restart). */
    static Consumer<LoadedDriver> losesSendsAtPause() {
        return loaded -> {
            MiniportDriverCharacteristics<Object, Object> c = loaded.characteristics;
            List<NetBufferList> held = new ArrayList<>();
            MiniportPause<Object> pause = c.pauseHandler();
            c.sendNetBufferListsHandler((ctx, nbls, port, flags) -> held.add(nbls));
            c.pauseHandler((ctx, params) -> {
                held.clear();
                return pause.pause(ctx, params);
            });
        };
    }

    /** Sends every NET_BUFFER from the start of its buffer, whatever its DataOffset (send-shapes). */
    static Consumer<LoadedDriver> ignoresDataOffset() {
        return loaded -> {
            MiniportDriverCharacteristics<Object, Object> c = loaded.characteristics;
            MiniportSendNetBufferLists<Object> send = c.sendNetBufferListsHandler();
            c.sendNetBufferListsHandler((ctx, nbls, port, flags) -> {
                for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
                    nbl.firstNetBuffer().setData(0, nbl.firstNetBuffer().dataLength());
                }
                send.sendNetBufferLists(ctx, nbls, port, flags);
            });
        };
    }

    /** Blocks {@code d} of device time in MiniportPause before pausing (timed-rules). */
    static BiConsumer<LoadedDriver, DeviceClock> pausesFor(Duration d) {
        return (loaded, clock) -> {
            MiniportPause<Object> pause = loaded.characteristics.pauseHandler();
            loaded.characteristics.pauseHandler((ctx, params) -> {
                clock.sleepNanos(d.toNanos());
                return pause.pause(ctx, params);
            });
        };
    }

    /** Answers OID_GEN_STATISTICS after {@code d} of device time spent in the handler (timed-rules). */
    static BiConsumer<LoadedDriver, DeviceClock> answersStatisticsAfter(Duration d) {
        return (loaded, clock) -> {
            MiniportOidRequest<Object> real = loaded.characteristics.oidRequestHandler();
            loaded.characteristics.oidRequestHandler((ctx, r) -> {
                if (r.oid() == Oid.GEN_STATISTICS) {
                    clock.sleepNanos(d.toNanos());
                }
                return real.oidRequest(ctx, r);
            });
        };
    }

    /** Takes the 802.1Q tag out of every tagged frame it sends (priority). */
    static Consumer<LoadedDriver> stripsVlanTags() {
        return loaded -> {
            MiniportDriverCharacteristics<Object, Object> c = loaded.characteristics;
            MiniportSendNetBufferLists<Object> send = c.sendNetBufferListsHandler();
            c.sendNetBufferListsHandler((ctx, nbls, port, flags) -> {
                for (NetBufferList nbl = nbls; nbl != null; nbl = nbl.next()) {
                    NetBuffer nb = nbl.firstNetBuffer();
                    if ((nb.getByte(12) & 0xFF) == 0x81 && nb.getByte(13) == 0) {
                        for (int k = 11; k >= 0; k--) {             // the addresses move up over the tag
                            nb.buffer().set(ValueLayout.JAVA_BYTE, nb.dataOffset() + k + 4L, nb.getByte(k));
                        }
                        nb.advanceDataStart(4);
                    }
                }
                send.sendNetBufferLists(ctx, nbls, port, flags);
            });
        };
    }

    /** Pends every OID_GEN_STATISTICS query and never completes it (timed-rules). */
    static Consumer<LoadedDriver> pendsStatistics() {
        return oids((real, ctx, r) -> r.oid() == Oid.GEN_STATISTICS && r.requestType().isQuery()
                ? NdisStatus.PENDING : real.oidRequest(ctx, r));
    }

    /** Says BUFFER_TOO_SHORT or INVALID_LENGTH without BytesNeeded (oid-buffers). */
    static Consumer<LoadedDriver> forgetsBytesNeeded() {
        return oids((real, ctx, r) -> {
            int status = real.oidRequest(ctx, r);
            if (status == NdisStatus.BUFFER_TOO_SHORT || status == NdisStatus.INVALID_LENGTH) {
                r.setBytesNeeded(0);
            }
            return status;
        });
    }

    /** Clears the packet filter when a set is too short, then refuses it (oid-robustness). */
    static Consumer<LoadedDriver> clobbersFilterOnShortSet() {
        return oids((real, ctx, r) -> {
            if (r.oid() == Oid.GEN_CURRENT_PACKET_FILTER && r.requestType() == OidRequestType.NdisRequestSetInformation
                    && r.informationBufferLength() < 4) {
                real.oidRequest(ctx, NdisOidRequest.setUlong(Oid.GEN_CURRENT_PACKET_FILTER, NdisPacketFilter.DIRECTED));
                r.setBytesNeeded(4);
                return NdisStatus.INVALID_LENGTH;
            }
            return real.oidRequest(ctx, r);
        });
    }

    /** Answers a set of a query-only OID (the addresses, list size, statistics) as if it were a query (oid-robustness). */
    static Consumer<LoadedDriver> answersSetsOfQueryOnlyOids() {
        return oids((real, ctx, r) -> {
            if (r.requestType() == OidRequestType.NdisRequestSetInformation && r.oid() == Oid.OID_802_3_CURRENT_ADDRESS) {
                r.setBytesRead(r.informationBufferLength());
                return NdisStatus.SUCCESS;
            }
            return real.oidRequest(ctx, r);
        });
    }

    /** Programs every packet filter with PROMISCUOUS added: the NIC ignores the filter (packet-filters). */
    static Consumer<LoadedDriver> alwaysPromiscuous() {
        return oids((real, ctx, r) -> {
            if (r.oid() == Oid.GEN_CURRENT_PACKET_FILTER && r.requestType() == OidRequestType.NdisRequestSetInformation
                    && r.informationBufferLength() == 4) {
                int status = real.oidRequest(ctx, NdisOidRequest.setUlong(Oid.GEN_CURRENT_PACKET_FILTER,
                        r.readUlong(0) | NdisPacketFilter.PROMISCUOUS));
                r.setBytesRead(4);
                return status;
            }
            return real.oidRequest(ctx, r);
        });
    }

    /** Says SUCCESS to every RSS set the real handler refuses: invalid parameters "accepted" (rss). */
    static Consumer<LoadedDriver> acceptsInvalidRssSets() {
        return oids((real, ctx, r) -> {
            int status = real.oidRequest(ctx, r);
            if (r.oid() == Oid.GEN_RECEIVE_SCALE_PARAMETERS && r.requestType() == OidRequestType.NdisRequestSetInformation
                    && status != NdisStatus.SUCCESS) {
                r.setBytesRead(r.informationBufferLength());
                return NdisStatus.SUCCESS;
            }
            return status;
        });
    }

    /**
     * Takes the first RSS set; afterwards says SUCCESS to every valid one without applying it (the configuration
     * stays the first), and refuses the invalid ones as the real handler does (rss).
     */
    static Consumer<LoadedDriver> ignoresRssSetsAfterTheFirst() {
        boolean[] applied = new boolean[1];
        return loaded -> oids((real, ctx, r) -> {
            boolean rssSet = r.oid() == Oid.GEN_RECEIVE_SCALE_PARAMETERS
                    && r.requestType() == OidRequestType.NdisRequestSetInformation;
            if (rssSet && applied[0] && NdisReceiveScaleParameters.parse(r.informationBuffer(),
                    loaded.adapters.getFirst().generalAttributes().recvScaleCapabilities(),
                    NdisReceiveScaleParameters.DISABLED) instanceof NdisReceiveScaleParameters.Accepted) {
                r.setBytesRead(r.informationBufferLength());
                return NdisStatus.SUCCESS;
            }
            int status = real.oidRequest(ctx, r);
            applied[0] |= rssSet && status == NdisStatus.SUCCESS;
            return status;
        }).accept(loaded);
    }

    interface OidFilter {
        int request(MiniportOidRequest<Object> real, Object context, NdisOidRequest request);
    }

    private static Consumer<LoadedDriver> oids(OidFilter filter) {
        return loaded -> {
            MiniportOidRequest<Object> real = loaded.characteristics.oidRequestHandler();
            loaded.characteristics.oidRequestHandler((ctx, r) -> filter.request(real, ctx, r));
        };
    }
}
