package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.miniport.core.NdisDataPath;
import io.nicup.ndis.miniport.core.OffloadOids;
import io.nicup.ndis.miniport.core.PendingSends;
import io.nicup.ndis.miniport.core.RxQueue;
import io.nicup.ndis.miniport.core.TxQueue;

/**
 * An Intel transmit ring as the core data path drives it: one descriptor per NET_BUFFER, the NBL
 * completing with the descriptor of its last one ({@link TxDescriptorNbls}), one TDT write per batch.
 * Called holding the data path's txLock; allocates nothing after construction.
 */
final class IntelTxQueue implements TxQueue {

    private final TxDescriptorRing ring;
    private final TxDescriptorNbls nbls;
    /** The offload configuration in force: which checksums a send may leave to the device. */
    private final OffloadOids offloads;
    private int lastDone;

    IntelTxQueue(TxDescriptorRing ring, OffloadOids offloads) {
        this.ring = ring;
        this.nbls = new TxDescriptorNbls(ring.count());
        this.offloads = offloads;
    }

    /**
     * Gives {@code dataPath} this queue and the receive queues {@code rx} (frames of 1 to {@code maxFrame} bytes) and lets it admit
     * LSOv2 sends of up to {@link TxLargeSend#MAX_FRAME} bytes while {@code offloads} has them on.
     */
    static void attach(NdisDataPath dataPath, TxDescriptorRing tx, RxQueue[] rx, OffloadOids offloads, int maxFrame) {
        dataPath.attach(new IntelTxQueue(tx, offloads), rx, 1, maxFrame);
        dataPath.allowLargeSends(offloads, TxLargeSend.MAX_FRAME);
    }

    /** At most count - 1 descriptors are in use at once: TDT == TDH means an empty ring. */
    @Override
    public int maxNetBuffers() {
        return ring.count() - 1;
    }

    /** A large send's context and data descriptors must fit an empty ring (docs/hardware-reference.md B.17). */
    @Override
    public int admitLargeSend(NetBufferList nbl) {
        return nbls.largeSendDescriptors(nbl.firstNetBuffer()) > maxNetBuffers() ? NdisStatus.INVALID_LENGTH
                : NdisStatus.SUCCESS;
    }

    @Override
    public void submit(PendingSends pending) {
        int n = nbls.stage(pending, ring.tail(), ring.freeSlots(), offloads.transmitChecksums());
        if (n > 0) {
            ring.submit(nbls.iovas, nbls.lengths, nbls.tags, nbls.stagedOffloads(), nbls.stagedSegmentations(), 0, n);
        }
    }

    /** What the device wrote back (DD). */
    @Override
    public int complete(NetBufferList[] done) {
        lastDone = ring.clean(nbls.doneTags, 0, nbls.doneTags.length);
        return nbls.completeCleaned(lastDone, NdisStatus.SUCCESS, done);
    }

    @Override
    public int lastCompleted() {
        return nbls.lastCompleted();
    }

    @Override
    public boolean progressed() {
        return lastDone > 0;
    }

    /** Most recent first. */
    @Override
    public int abortInFlight(int status, NetBufferList[] aborted) {
        int n = ring.drain(nbls.doneTags, 0, nbls.doneTags.length);
        return nbls.abortDrained(n, status, aborted);
    }

    @Override
    public int requeueInFlight(NetBufferList[] taken) {
        int n = ring.drain(nbls.doneTags, 0, nbls.doneTags.length);
        return nbls.takeDrained(n, taken);
    }

    @Override
    public int inFlight() {
        return ring.inFlight();
    }

    /** TDH. */
    @Override
    public int progressMark() {
        return ring.hardwareHead();
    }
}
