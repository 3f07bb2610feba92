package io.nicup.ndis.datapath;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.MiniportAdapter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * NET_BUFFER_LIST: a frame (one or more NET_BUFFERs) in a chain of NBLs linked by {@link #next()}.
 * NBLs come from a {@link NetBufferListPool} and are recycled; nothing on the send or receive path
 * allocates.
 *
 * <p>Ownership moves with the calls: the allocator owns an NBL; a send gives it to the miniport until
 * {@link Ndis#NdisMSendNetBufferListsComplete}; a receive indication gives it to NDIS until
 * MiniportReturnNetBufferLists (or until the indication returns, with NDIS_RECEIVE_FLAGS_RESOURCES).
 * The model tracks that owner per NBL, which is how it catches double completion, completion of an NBL
 * the miniport was never given, and indication of an NBL NDIS still holds.
 *
 * {@snippet lang=c :
 * typedef struct _NET_BUFFER_LIST {
 *     PNET_BUFFER_LIST Next;
 *     PNET_BUFFER FirstNetBuffer;
 *     ...
 *     NDIS_HANDLE SourceHandle;     // the pool
 *     PVOID MiniportReserved[2];
 *     NDIS_STATUS Status;
 *     PVOID NetBufferListInfo[MaxNetBufferListInfo];
 * } NET_BUFFER_LIST;
 * }
 */
public final class NetBufferList {

    // owner states
    @NdisInternal
    public static final int FREE = 0;
    @NdisInternal
    public static final int ALLOCATED = 1;
    static final int SENDING = 2;
    static final int INDICATED = 3;

    private static final VarHandle OWNER;

    static {
        try {
            OWNER = MethodHandles.lookup().findVarHandle(NetBufferList.class, "owner", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final NetBufferListPool pool;
    final int index;
    NetBufferList next;
    NetBuffer firstNetBuffer;
    /** Every NET_BUFFER the pool gave this NBL, linked again at each allocation (a send may use fewer). */
    NetBuffer[] netBuffers;
    private int status;
    private long cancelId;
    private Object miniportReserved0;
    private Object miniportReserved1;
    private Object protocolReserved;
    /**
     * NetBufferListInfo, the entries nicup carries (docs/ndis-contract.md §11): one ULONG each, indexed by
     * {@link NetBufferListInfo}, allocated with the NBL and cleared when it is freed.
     */
    private final int[] info = new int[NetBufferListInfo.COUNT];

    @SuppressWarnings("unused") // accessed through OWNER
    private volatile int owner;
    /** The adapter it was last sent on or indicated on. */
    MiniportAdapter adapter;
    /** The adapter that last completed it (for telling double completion from a stranger). */
    MiniportAdapter lastCompletedOn;
    boolean sentWhilePausing;
    /** Device-clock time it was handed to MiniportSendNetBufferLists (NdisTimedDataSend). */
    long sentAtNanos;
    boolean indicatedWithResources;
    /** The status the protocol left in it, for putting back when NDIS refuses the send it was part of. */
    int statusBeforeSend;
    /** MiniportReserved as a ULONG_PTR: an index the miniport keeps without boxing. */
    private int miniportReservedIndex;

    NetBufferList(NetBufferListPool pool, int index) {
        this.pool = pool;
        this.index = index;
    }

    public NetBufferList next() {
        return next;
    }

    /** Links {@code nbl} after this one (NET_BUFFER_LIST_NEXT_NBL). */
    public void setNext(NetBufferList nbl) {
        this.next = nbl;
    }

    public NetBuffer firstNetBuffer() {
        return firstNetBuffer;
    }

    /** NET_BUFFER_LIST_STATUS: set by the miniport before completing a send. */
    public int status() {
        return status;
    }

    public void setStatus(int value) {
        this.status = value;
    }

    /** SourceHandle: the pool it came from. */
    /**
     * NET_BUFFER_LIST_INFO(nbl, id): the out-of-band value {@code id} (a {@link NetBufferListInfo} index);
     * {@link NetBufferListInfo} decodes its bit fields.
     */
    public int info(int id) {
        return info[id];
    }

    /** NET_BUFFER_LIST_INFO(nbl, id) = value. */
    public void setInfo(int id, int value) {
        info[id] = value;
    }

    public NetBufferListPool pool() {
        return pool;
    }

    /** NDIS_SET_NET_BUFFER_LIST_CANCEL_ID / NDIS_GET_NET_BUFFER_LIST_CANCEL_ID. */
    public long cancelId() {
        return cancelId;
    }

    public void setCancelId(long value) {
        this.cancelId = value;
    }

    /** MiniportReserved[0]: the miniport's slot while it owns the NBL. */
    public Object miniportReserved0() {
        return miniportReserved0;
    }

    public void setMiniportReserved0(Object value) {
        this.miniportReserved0 = value;
    }

    /**
     * MiniportReserved read as a ULONG_PTR, where a C miniport keeps the number of the receive buffer behind
     * an NBL: an int slot beside the object slots, so a returned NBL yields its buffer with a field load,
     * not an unboxing.
     */
    public int miniportReservedIndex() {
        return miniportReservedIndex;
    }

    public void setMiniportReservedIndex(int value) {
        this.miniportReservedIndex = value;
    }

    /** MiniportReserved[1]. */
    public Object miniportReserved1() {
        return miniportReserved1;
    }

    public void setMiniportReserved1(Object value) {
        this.miniportReserved1 = value;
    }

    /** ProtocolReserved: the protocol's (host's) slot. */
    public Object protocolReserved() {
        return protocolReserved;
    }

    public void setProtocolReserved(Object value) {
        this.protocolReserved = value;
    }

    /** NBLs in the chain starting here. */
    public int chainLength() {
        int n = 0;
        for (NetBufferList l = this; l != null; l = l.next) {
            n++;
        }
        return n;
    }

    /** NET_BUFFERs linked to this NBL (walks them: not for the data path). */
    public int netBufferCount() {
        int n = 0;
        for (NetBuffer nb = firstNetBuffer; nb != null; nb = nb.next) {
            n++;
        }
        return n;
    }

    /** Data bytes over every NET_BUFFER of this NBL. */
    public long dataLength() {
        long n = 0;
        for (NetBuffer nb = firstNetBuffer; nb != null; nb = nb.next) {
            n += nb.dataLength();
        }
        return n;
    }

    @NdisInternal
    public int owner() {
        return (int) OWNER.getAcquire(this);
    }

    void setOwner(int value) {
        OWNER.setRelease(this, value);
    }

    boolean casOwner(int expected, int value) {
        return OWNER.compareAndSet(this, expected, value);
    }

    void reset() {
        next = null;
        status = 0;
        cancelId = 0;
        miniportReserved0 = null;
        miniportReserved1 = null;
        miniportReservedIndex = 0;
        protocolReserved = null;
        java.util.Arrays.fill(info, 0);
        adapter = null;
        lastCompletedOn = null;
        sentWhilePausing = false;
        indicatedWithResources = false;
    }

    static String ownerName(int owner) {
        return switch (owner) {
            case FREE -> "free";
            case ALLOCATED -> "allocated";
            case SENDING -> "sending";
            case INDICATED -> "indicated";
            default -> "owner" + owner;
        };
    }

    @Override
    public String toString() {
        return "NetBufferList{" + pool.purpose() + "#" + index + " " + ownerName(owner()) + " status="
                + NdisStatus.name(status) + "}";
    }
}
