package io.nicup.ndis.protocol;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisHost;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.datapath.NetBufferListPool;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisStatusIndication;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small protocol edge for the CLI and tests: keeps a copy of every received frame, returns the NBLs at
 * once, frees completed sends to their pool (counting statuses) and keeps link-state indications; plus
 * helpers to send byte arrays and set the packet filter and multicast list. This is the protocol side:
 * copying and allocating here is fine; the miniport's paths do neither. Thread-safe.
 */
public final class FrameEdge implements NdisProtocolEdge {

    private final List<byte[]> received = new ArrayList<>();
    /** Per frame kept: its NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO receive verdict. */
    private final List<Integer> receivedChecksums = new ArrayList<>();
    /** NetBufferListHashInfo (high 32 bits) and NetBufferListHashValue (low 32 bits) of each frame kept. */
    private final List<Long> receivedHashes = new ArrayList<>();
    /** The receive queue of each frame kept (NetBufferListInfo.RECEIVE_QUEUE; 0 from a single-queue miniport). */
    private final List<Integer> receivedQueues = new ArrayList<>();
    /** Receive queues counted per queue; a miniport's queue number beyond these is counted in the last. */
    public static final int COUNTED_QUEUES = 64;
    /** Frames and bytes indicated per receive queue, whether or not frames are kept. */
    private final long[] queueFrames = new long[COUNTED_QUEUES];
    private final long[] queueBytes = new long[COUNTED_QUEUES];
    /** Per completed large send: the TCP payload bytes the miniport reported sent. */
    private final List<Integer> largeSendsCompleted = new ArrayList<>();
    private final List<Integer> statusCodes = new ArrayList<>();
    private final List<NdisLinkState> linkStates = new ArrayList<>();
    private long completedOk;
    private long completedFailed;
    /** Failed completions by NDIS status: after a surprise removal FAILURE and SEND_ABORTED mean different things. */
    private final Map<Integer, Long> failedByStatus = new HashMap<>();
    private int lastFailureStatus;
    private boolean keepFrames = true;
    private long receivedCount;

    /** Whether received frames are copied and kept (off: only counted). */
    public synchronized FrameEdge keepFrames(boolean keep) {
        keepFrames = keep;
        return this;
    }

    @Override
    public void receiveNetBufferLists(MiniportAdapter adapter, NetBufferList netBufferLists, int portNumber,
            int numberOfNetBufferLists, int receiveFlags) {
        synchronized (this) {
            for (NetBufferList nbl = netBufferLists; nbl != null; nbl = nbl.next()) {
                receivedCount++;
                int queue = Math.min(Math.max(nbl.info(NetBufferListInfo.RECEIVE_QUEUE), 0), COUNTED_QUEUES - 1);
                queueFrames[queue]++;
                queueBytes[queue] += nbl.firstNetBuffer().dataLength();
                if (keepFrames) {
                    receivedQueues.add(queue);
                    received.add(nbl.firstNetBuffer().toByteArray());
                    receivedChecksums.add(nbl.info(NetBufferListInfo.TCP_IP_CHECKSUM));
                    receivedHashes.add((long) nbl.info(NetBufferListInfo.HASH_INFO) << 32
                            | nbl.info(NetBufferListInfo.HASH_VALUE) & 0xFFFFFFFFL);
                }
            }
        }
        if ((receiveFlags & NdisReceiveFlags.RESOURCES) == 0) {
            adapter.host().returnNetBufferLists(adapter, netBufferLists, 0);
        }
    }

    @Override
    public void sendNetBufferListsComplete(MiniportAdapter adapter, NetBufferList netBufferLists, int sendCompleteFlags) {
        NetBufferList nbl = netBufferLists;
        while (nbl != null) {
            NetBufferList next = nbl.next();
            synchronized (this) {
                int lso = nbl.info(NetBufferListInfo.TCP_LARGE_SEND);
                if (lso != 0 && nbl.status() == NdisStatus.SUCCESS) {
                    largeSendsCompleted.add(NetBufferListInfo.lsoCompletedBytes(lso));
                }
                nbl.setInfo(NetBufferListInfo.TCP_LARGE_SEND, 0);
                nbl.setInfo(NetBufferListInfo.TCP_IP_CHECKSUM, 0);
                if (nbl.status() == NdisStatus.SUCCESS) {
                    completedOk++;
                } else {
                    completedFailed++;
                    failedByStatus.merge(nbl.status(), 1L, Long::sum);
                    lastFailureStatus = nbl.status();
                }
            }
            nbl.setNext(null);
            nbl.pool().free(nbl);
            nbl = next;
        }
    }

    @Override
    public synchronized void statusEx(MiniportAdapter adapter, NdisStatusIndication indication) {
        statusCodes.add(indication.statusCode());
        if (indication.statusCode() == NdisStatus.LINK_STATE && indication.statusBuffer() instanceof NdisLinkState s) {
            linkStates.add(s);
        }
    }

    /** Copies of the frames received so far, in order. */
    public synchronized List<byte[]> received() {
        return List.copyOf(received);
    }

    /** The receive checksum verdicts of {@link #received()}, in the same order. */
    public synchronized List<Integer> receivedChecksums() {
        return List.copyOf(receivedChecksums);
    }

    /**
     * The RSS hash of each of {@link #received()}, in the same order: NetBufferListHashInfo (the NDIS hash
     * type and function; 0 when the miniport set none) in the high 32 bits, NetBufferListHashValue in the
     * low 32 bits.
     */
    public synchronized List<Long> receivedHashes() {
        return List.copyOf(receivedHashes);
    }

    /** The receive queue each of {@link #received()} was indicated from, in the same order. */
    public synchronized List<Integer> receivedQueues() {
        return List.copyOf(receivedQueues);
    }

    /** Frames indicated per receive queue (index = queue number), since the edge was made. */
    public synchronized long[] queueFrames() {
        return queueFrames.clone();
    }

    /** Bytes of the frames indicated per receive queue, since the edge was made. */
    public synchronized long[] queueBytes() {
        return queueBytes.clone();
    }

    /** The TCP payload bytes of each large send completed with SUCCESS, as the miniport wrote them back. */
    public synchronized List<Integer> largeSendsCompleted() {
        return List.copyOf(largeSendsCompleted);
    }

    /** The status codes of every status indication, in order. */
    public synchronized List<Integer> statusCodes() {
        return List.copyOf(statusCodes);
    }

    public synchronized long receivedCount() {
        return receivedCount;
    }

    public synchronized void clearReceived() {
        received.clear();
        receivedChecksums.clear();
        receivedHashes.clear();
        receivedQueues.clear();
    }

    public synchronized List<NdisLinkState> linkStates() {
        return List.copyOf(linkStates);
    }

    public synchronized long completedOk() {
        return completedOk;
    }

    /** Every failed send completion, whatever its status. */
    public synchronized long completedFailed() {
        return completedFailed;
    }

    /** Failed send completions with {@code status} (an NdisStatus other than SUCCESS). */
    public synchronized long completedFailedWith(int status) {
        return failedByStatus.getOrDefault(status, 0L);
    }

    /**
     * Sends completed NDIS_STATUS_FAILURE: after a surprise removal, those the device held without a
     * write-back (they may or may not have reached the wire).
     */
    public synchronized long completedFailure() {
        return completedFailedWith(NdisStatus.FAILURE);
    }

    /** Sends completed NDIS_STATUS_SEND_ABORTED: cancelled, or never handed to a device that went away. */
    public synchronized long completedAborted() {
        return completedFailedWith(NdisStatus.SEND_ABORTED);
    }

    public synchronized int lastFailureStatus() {
        return lastFailureStatus;
    }

    /**
     * Sends {@code frames} as one NBL chain, each copied into a DMA buffer of {@code pool} (made with
     * {@link NdisHost#allocateSendPool}); returns how many were handed to NDIS (fewer when the pool ran out).
     */
    public static int send(NdisHost host, MiniportAdapter a, NetBufferListPool pool, List<byte[]> frames) {
        return send(host, a, pool, frames, 0, 0);
    }

    /**
     * As {@link #send(NdisHost, MiniportAdapter, NetBufferListPool, List)}, each NBL carrying
     * {@code checksumInfo} (NDIS_TCP_IP_CHECKSUM_NET_BUFFER_LIST_INFO) and {@code largeSendInfo}
     * (NDIS_TCP_LARGE_SEND_OFFLOAD_NET_BUFFER_LIST_INFO); 0 asks for nothing.
     */
    public static int send(NdisHost host, MiniportAdapter a, NetBufferListPool pool, List<byte[]> frames,
            int checksumInfo, int largeSendInfo) {
        NetBufferList head = null;
        NetBufferList tail = null;
        int n = 0;
        for (byte[] f : frames) {
            NetBufferList nbl = pool.allocate();
            if (nbl == null) {
                break;
            }
            nbl.firstNetBuffer().copyDataFrom(f, 0, f.length);
            nbl.setInfo(NetBufferListInfo.TCP_IP_CHECKSUM, checksumInfo);
            nbl.setInfo(NetBufferListInfo.TCP_LARGE_SEND, largeSendInfo);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
            n++;
        }
        if (head != null) {
            host.send(a, head, 0, 0);
        }
        return n;
    }

    /** OID_GEN_CURRENT_PACKET_FILTER set (NdisPacketFilter bits). */
    public static OidResult setPacketFilter(NdisHost host, MiniportAdapter a, int filter) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(filter).array();
        return host.set(a, Oid.GEN_CURRENT_PACKET_FILTER, b).join();
    }

    /** OID_802_3_MULTICAST_LIST set. */
    public static OidResult setMulticastList(NdisHost host, MiniportAdapter a, List<MacAddress> addresses) {
        byte[] b = new byte[addresses.size() * MacAddress.LENGTH];
        for (int i = 0; i < addresses.size(); i++) {
            System.arraycopy(addresses.get(i).bytes(), 0, b, i * MacAddress.LENGTH, MacAddress.LENGTH);
        }
        return host.set(a, Oid.OID_802_3_MULTICAST_LIST, b).join();
    }
}
