package io.nicup.ndis.datapath;

import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.adapter.MiniportAdapter;

/**
 * The data-path counts NDIS keeps for one adapter: what went to MiniportSendNetBufferLists and came
 * back, what was indicated and returned. Updated once per call (per chain), never per packet, and
 * without a lock or a read-modify-write: {@link #snapshot()} is what {@link MiniportAdapter#counters()}
 * shows and the pause checks read.
 *
 * <p>Threading (docs/ndis-contract.md §19): the counts fall into four sides, each written by one
 * thread, so each is a {@link SingleWriterCounters} (plain add, release store):
 * <ul>
 *   <li>send: NdisSendNetBufferLists, the protocol's sending thread (sends, rejected by NDIS);</li>
 *   <li>completion: NdisMSendNetBufferListsComplete, the miniport's DPC (completed, failed);</li>
 *   <li>receive: NdisMIndicateReceiveNetBufferLists, the DPC (indications, NBLs, bytes, with RESOURCES);</li>
 *   <li>return: NdisReturnNetBufferLists, the protocol (returned).</li>
 * </ul>
 * The outstanding counts had two writers (the sender adds, the completer subtracts); they are derived
 * instead: sends outstanding = sends - completed, receives outstanding = NBLs indicated without RESOURCES
 * (a count of their own, so the difference needs no third load) - returned. A reader loads the later side first (completed before sends, returned before indicated):
 * a completion is counted after the send it completes (the NBL reached the completer through the
 * miniport, a happens-before edge), so the acquire load of the completions makes at least those sends
 * visible and the difference is never negative.
 */
@NdisInternal
public final class DataPathBookkeeping {

    private static final int SENDS = 0;
    private static final int REJECTED_BY_NDIS = 1;
    private static final int COMPLETED = 0;
    private static final int FAILED = 1;
    private static final int INDICATIONS = 0;
    private static final int NBLS = 1;
    private static final int BYTES = 2;
    private static final int WITH_RESOURCES = 3;
    /** Indicated without RESOURCES: the NBLs the protocol holds until it returns them. */
    private static final int HELD = 4;
    private static final int RETURNED = 0;

    private final SingleWriterCounters send = new SingleWriterCounters(2);
    private final SingleWriterCounters completion = new SingleWriterCounters(2);
    private final SingleWriterCounters receive = new SingleWriterCounters(5);
    private final SingleWriterCounters returns = new SingleWriterCounters(1);

    /** {@code n} NBLs go to MiniportSendNetBufferLists. */
    void sent(int n) {
        send.add(SENDS, n);
    }

    /** NDIS completed {@code n} NBLs itself with PAUSED (the adapter cannot send). */
    void rejectedByNdis(int n) {
        send.add(REJECTED_BY_NDIS, n);
    }

    /** The miniport completed {@code completed} sent NBLs, {@code failed} of them not with SUCCESS. */
    void completed(int completed, int failed) {
        completion.add(COMPLETED, completed);
        if (failed != 0) {
            completion.add(FAILED, failed);
        }
    }

    /** One indication of {@code n} NBLs with {@code bytes} data bytes. */
    void indicated(int n, long bytes, boolean resources) {
        receive.add(INDICATIONS, 1);
        receive.add(NBLS, n);
        receive.add(BYTES, bytes);
        receive.add(resources ? WITH_RESOURCES : HELD, n);
    }

    /** The protocol returned {@code n} indicated NBLs. */
    void returned(int n) {
        returns.add(RETURNED, n);
    }

    /** NBLs with the miniport now: sent and not completed. */
    public long sendsOutstanding() {
        long completed = completion.get(COMPLETED);
        return send.get(SENDS) - completed;
    }

    /** NBLs with the protocol now: indicated without RESOURCES and not returned. */
    public long receivesOutstanding() {
        long returned = returns.get(RETURNED);
        return receive.get(HELD) - returned;
    }

    public DataPathCounters snapshot() {
        long returned = returns.get(RETURNED);
        long completed = completion.get(COMPLETED);
        long failed = completion.get(FAILED);
        long sends = send.get(SENDS);
        long indications = receive.get(INDICATIONS);
        long nbls = receive.get(NBLS);
        long bytes = receive.get(BYTES);
        long withResources = receive.get(WITH_RESOURCES);
        long held = receive.get(HELD);
        return new DataPathCounters(sends, completed, failed, send.get(REJECTED_BY_NDIS), sends - completed,
                indications, nbls, bytes, withResources, returned, held - returned);
    }
}
