package io.nicup.ndis;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * The OID requests of one adapter: the one the miniport has (NDIS issues one at a time), the ones
 * waiting their turn, and the last packet filter and multicast list that succeeded (NDIS sets them again
 * after a reset that asks for it). {@link #lock} guards everything here.
 */
final class OidQueue {

    /** An OID request NDIS gave the miniport and is waiting on. */
    static final class PendingOid {
        final NdisOidRequest request;
        final CompletableFuture<OidResult> future;
        final boolean direct;
        boolean inCall;
        boolean completedInCall;
        int completionStatus;
        boolean done;

        PendingOid(NdisOidRequest request, CompletableFuture<OidResult> future, boolean direct) {
            this.request = request;
            this.future = future;
            this.direct = direct;
        }
    }

    final Object lock = new Object();
    PendingOid current;
    final Deque<PendingOid> queue = new ArrayDeque<>();
    byte[] lastPacketFilter;
    byte[] lastMulticastList;
}
