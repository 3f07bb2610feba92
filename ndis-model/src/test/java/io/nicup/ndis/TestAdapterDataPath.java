package io.nicup.ndis;

import static io.nicup.ndis.TestAdapter.REG_STATUS;
import static io.nicup.ndis.TestAdapter.RX_BUFFER_SIZE;
import static io.nicup.ndis.TestAdapter.STATUS_LU;

import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.datapath.NdisReceiveFlags;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.oid.MediaDuplexState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisStatusIndication;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The data path of the {@link TestAdapter}: sends wait in a transmit queue until the transmit DPC completes
 * them; {@link #deliverFrame} plays the NIC writing a received frame, the receive DPC indicates them in one batch.
 */
final class TestAdapterDataPath {

    private final TestAdapter a;
    private final Switches sw;
    private final Ndis ndis;
    private final NdisAdapterHandle handle;

    TestAdapterDataPath(TestAdapter a) {
        this.a = a;
        this.sw = a.sw;
        this.ndis = a.ndis;
        this.handle = a.handle;
    }

    void send(NetBufferList chain, int portNumber, int sendFlags) {
        a.maybeThrow(NdisCall.MiniportSendNetBufferLists);
        NetBufferList rejectedHead = null;
        NetBufferList rejectedTail = null;
        for (NetBufferList nbl = chain; nbl != null; ) {
            NetBufferList next = nbl.next();
            nbl.setNext(null);
            if (a.pausing && !sw.completeSendsWithSuccessWhilePausing) {
                nbl.setStatus(NdisStatus.PAUSED);
                if (rejectedHead == null) {
                    rejectedHead = nbl;
                } else {
                    rejectedTail.setNext(nbl);
                }
                rejectedTail = nbl;
            } else {
                if (sw.recordTxIovas) {
                    for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                        a.txDataIovas.add(nb.dataIova());
                    }
                }
                a.txQueue.add(nbl);
            }
            nbl = next;
        }
        if (rejectedHead != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, rejectedHead, 0);
        }
    }

    /** Transmit-done DPC: completes every queued send in one batch. */
    void completeTransmits() {
        NetBufferList head = null;
        NetBufferList tail = null;
        NetBufferList nbl;
        while ((nbl = a.txQueue.poll()) != null) {
            nbl.setStatus(sw.txCompletionStatus);
            a.txFrames++;
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
            if (sw.completeSendsTwice) {
                ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
            }
        }
        a.completePauseIfDrained(false);
    }

    void cancelSend(long cancelId) {
        NetBufferList head = null;
        for (var it = a.txQueue.iterator(); it.hasNext(); ) {
            NetBufferList nbl = it.next();
            if (nbl.cancelId() == cancelId) {
                it.remove();
                nbl.setStatus(NdisStatus.SEND_ABORTED);
                nbl.setNext(head);
                head = nbl;
            }
        }
        if (head != null) {
            ndis.NdisMSendNetBufferListsComplete(handle, head, 0);
        }
    }

    /** The NIC wrote a received frame into the next free receive buffer (test side of the "hardware"). */
    boolean deliverFrame(byte[] frame) {
        Integer slot = a.freeSlots.poll();
        if (slot == null) {
            a.rxDropped++;
            return false;
        }
        MemorySegment.copy(frame, 0, a.rxMemory.segment(), ValueLayout.JAVA_BYTE, (long) slot * RX_BUFFER_SIZE,
                frame.length);
        a.frameLengths[slot] = frame.length;
        a.filledSlots.add(slot);
        return true;
    }

    /** Receive DPC: indicates every received frame as one batch. */
    void indicateReceives() {
        if (a.filledSlots.isEmpty()) {
            return;
        }
        if (!a.running && !a.pausing && !sw.indicateWhileNotRunning) {
            a.freeSlots.addAll(a.filledSlots);
            a.filledSlots.clear();
            return;
        }
        NetBufferList head = null;
        NetBufferList tail = null;
        int n = 0;
        Integer slot;
        while ((slot = a.filledSlots.poll()) != null) {
            NetBufferList nbl = a.rxNbls[slot];
            nbl.firstNetBuffer().setData(0, a.frameLengths[slot]);
            nbl.setNext(null);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
            n++;
            a.rxFrames++;
            a.rxBytes += a.frameLengths[slot];
        }
        int flags = sw.indicateWithResources ? NdisReceiveFlags.RESOURCES : 0;
        if (!sw.indicateWithResources) {
            a.rxOutstanding += n;
        }
        a.inIndicate = true;
        try {
            ndis.NdisMIndicateReceiveNetBufferLists(handle, head, 0, n + sw.indicateCountDelta, flags);
        } finally {
            a.inIndicate = false;
        }
        if (sw.indicateWithResources) {
            for (NetBufferList nbl = head; nbl != null; nbl = nbl.next()) {
                a.freeSlots.add((Integer) nbl.miniportReserved0());
            }
        }
    }

    void returnNetBufferLists(NetBufferList chain, int returnFlags) {
        a.maybeThrow(NdisCall.MiniportReturnNetBufferLists);
        if (a.inIndicate) {
            a.returnsDuringIndicate++;
        }
        for (NetBufferList nbl = chain; nbl != null; nbl = nbl.next()) {
            a.freeSlots.add((Integer) nbl.miniportReserved0());
            a.rxOutstanding--;
        }
        a.completePauseIfDrained(false);
        a.returnCalls++;
    }

    /** Link-change DPC: indicates the link state read from STATUS. */
    void indicateLinkState() {
        if (a.shutdownAction != null) {
            return;
        }
        boolean up = (a.regs.read32(REG_STATUS) & STATUS_LU) != 0;
        Object buffer = sw.malformedLinkState ? "not an NDIS_LINK_STATE"
                : up ? NdisLinkState.connected(1_000_000_000L, MediaDuplexState.MediaDuplexStateFull)
                        : NdisLinkState.disconnected();
        ndis.NdisMIndicateStatusEx(handle, new NdisStatusIndication(NdisStatus.LINK_STATE, buffer, 0));
    }
}
