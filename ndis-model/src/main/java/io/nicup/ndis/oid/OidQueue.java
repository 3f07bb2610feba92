package io.nicup.ndis.oid;

import io.nicup.ndis.NdisInternal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * The OID requests of one adapter: the one the miniport has (NDIS issues one at a time), the ones
 * waiting their turn, and the last packet filter and multicast list that succeeded (NDIS sets them again
 * after a reset that asks for it). {@link #lock} guards everything here.
 */
@NdisInternal
public final class OidQueue {

    /** An OID request NDIS gave the miniport and is waiting on. */
    @NdisInternal
    public static final class PendingOid {
        public final NdisOidRequest request;
        final CompletableFuture<OidResult> future;
        public final boolean direct;
        public boolean inCall;
        public boolean completedInCall;
        public int completionStatus;
        public boolean done;
        /** Device-clock time MiniportOidRequest was called, -1 before; for NdisTimedOidComplete. */
        public long issuedNanos = -1;
        public boolean lateReported;

        PendingOid(NdisOidRequest request, CompletableFuture<OidResult> future, boolean direct) {
            this.request = request;
            this.future = future;
            this.direct = direct;
        }
    }

    public final Object lock = new Object();
    public PendingOid current;
    final Deque<PendingOid> queue = new ArrayDeque<>();
    public byte[] lastPacketFilter;
    public byte[] lastMulticastList;
}
