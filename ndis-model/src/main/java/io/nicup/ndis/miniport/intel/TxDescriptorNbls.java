package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.datapath.Mdl;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListInfo;
import io.nicup.ndis.miniport.core.PendingSends;
import io.nicup.ndis.miniport.core.SendCheck;

/**
 * The NBL side of an Intel transmit ring (one descriptor per NET_BUFFER, or per piece of one whose data
 * spans several MDLs, with end of packet on the last: docs/ndis-contract.md §16.3; whole NBLs only): which NBL
 * completes with which descriptor, namely the one of its last NET_BUFFER, and the batch arrays the
 * ring's submit, clean and drain work on. The adapter makes the ring calls; this class turns their
 * descriptor indexes into NBLs, read from {@link PendingSends} by index and written into the batch arrays
 * the data path owns (docs/ndis-contract.md §19.6): it never reads or writes an NBL's next. Called with the
 * adapter's txLock held; it allocates nothing after construction, so the send and completion paths do not
 * either.
 */
public final class TxDescriptorNbls {

    /** Per descriptor: the NBL that completes with it, or null (not the last of its NBL, or free). */
    private final NetBufferList[] descNbl;
    private final int mask;
    /** The batch for the ring's submit: IOVA, length and tag (the descriptor index) per NET_BUFFER. */
    public final long[] iovas;
    public final int[] lengths;
    public final int[] tags;
    /** Per NET_BUFFER of the batch: its checksum request ({@link TxChecksum}), 0 for none. */
    public final int[] offloads;
    /** Per NET_BUFFER of the batch: its TCP segmentation request ({@link TxLargeSend}), 0 for none. */
    public final int[] segmentations;
    /** Whether any NET_BUFFER of the last {@link #stage} asks for checksum offload, and for segmentation. */
    private boolean anyOffload;
    private boolean anySegmentation;
    /** Per descriptor: the TCP payload of the large send whose NBL completes with it, written back then. */
    private final int[] descPayload;
    /** The tags the ring's clean or drain hands back. */
    public final int[] doneTags;
    private int lastCompleted;

    /** For a ring of {@code count} descriptors, a power of two. */
    public TxDescriptorNbls(int count) {
        descNbl = new NetBufferList[count];
        mask = count - 1;
        iovas = new long[count];
        lengths = new int[count];
        tags = new int[count];
        offloads = new int[count];
        segmentations = new int[count];
        descPayload = new int[count];
        doneTags = new int[count];
    }

    /**
     * Stages the oldest waiting NBLs, whole ones only and in order, for the descriptors from {@code slot}
     * on while they fit in {@code free}; what does not fit stays in {@code pending}. Returns how many
     * descriptors of {@link #iovas}, {@link #lengths} and {@link #tags} the ring is to submit (with one
     * tail write).
     */
    public int stage(PendingSends pending, int slot, int free) {
        return stage(pending, slot, free, 0);
    }

    /**
     * {@link #stage(PendingSends, int, int)} with the transmit checksums in force ({@link TxChecksum#of}'s
     * {@code enabled}; 0 when none): each NET_BUFFER of an NBL that asks for them gets its request in
     * {@link #offloads} and counts two descriptors against {@code free}, room for a context descriptor. An
     * LSOv2 send (admitted by {@code LargeSendCheck}) gets its checksum and segmentation requests
     * ({@link TxLargeSend}), a context descriptor, and data descriptors of at most
     * {@link TxLargeSend#MAX_PER_DESCRIPTOR} bytes.
     */
    public int stage(PendingSends pending, int slot, int free, int enabledChecksums) {
        int n = 0;
        int used = 0;
        boolean any = false;
        boolean anyLso = false;
        int waiting = pending.size();
        int taken = 0;
        for (; taken < waiting; taken++) {
            NetBufferList nbl = pending.get(taken);
            int lso = nbl.info(NetBufferListInfo.TCP_LARGE_SEND);
            int request = enabledChecksums == 0 || lso != 0 ? 0 : nbl.info(NetBufferListInfo.TCP_IP_CHECKSUM);
            int k = 0;
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                k += lso != 0 ? largeSendDescriptors(nb)
                        : (nb.contiguous() ? 1 : SendCheck.pieces(nb)) + (request == 0 ? 0 : 1);
            }
            if (k > free - used) {
                break;
            }
            int payload = 0;
            for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
                int offload = lso != 0 ? TxLargeSend.checksum(nb, lso)
                        : request == 0 ? 0 : TxChecksum.of(request, nb, enabledChecksums);
                int segmentation = lso == 0 ? 0 : TxLargeSend.segmentation(nb, lso);
                any |= offload != 0;
                anyLso |= segmentation != 0;
                int first = n;
                if (segmentation != 0) {
                    n = stagePieces(nb, slot, n, TxLargeSend.MAX_PER_DESCRIPTOR);
                    payload = nb.dataLength() - TxLargeSend.headerLength(offload, segmentation);
                } else if (nb.contiguous()) {
                    int d = (slot + n) & mask;
                    iovas[n] = nb.dataIova();
                    lengths[n] = nb.dataLength();
                    tags[n] = d;
                    descNbl[d] = null;
                    n++;
                } else {
                    n = stagePieces(nb, slot, n, Integer.MAX_VALUE);
                }
                for (int i = first; i < n; i++) {
                    offloads[i] = offload;                   // the ring reads it at the frame's first piece
                    segmentations[i] = segmentation;
                }
            }
            used += k;
            descNbl[(slot + n - 1) & mask] = nbl;             // the NBL completes with its last descriptor
            descPayload[(slot + n - 1) & mask] = payload;
        }
        pending.consume(taken);
        anyOffload = any;
        anySegmentation = anyLso;
        return n;
    }

    /** Descriptors a large send of {@code nb} takes: a context, and its data cut at {@link TxLargeSend#MAX_PER_DESCRIPTOR}. */
    public int largeSendDescriptors(NetBuffer nb) {
        return 1 + stagePieces(nb, 0, -1, TxLargeSend.MAX_PER_DESCRIPTOR);
    }

    /** The segmentation requests of the last {@link #stage} for the ring's submit: null when there are none. */
    public int[] stagedSegmentations() {
        return anySegmentation ? segmentations : null;
    }

    /** The checksum requests of the last {@link #stage} for the ring's submit: null when there are none. */
    public int[] stagedOffloads() {
        return anyOffload ? offloads : null;
    }

    /**
     * One descriptor per non-empty piece of {@code nb}'s data, each MDL's part cut at {@code maxPiece} bytes,
     * {@link TxDescriptorRing#MORE} on all but the last; returns the index after them. With {@code n} = -1
     * only counts the pieces (writes nothing).
     */
    private int stagePieces(NetBuffer nb, int slot, int n, int maxPiece) {
        boolean count = n < 0;
        int i = count ? 0 : n;
        int left = nb.dataLength();
        long off = nb.currentMdlOffset();
        for (Mdl m = nb.currentMdl(); left > 0; m = m.next()) {
            long at = m.iova() + off;
            for (int inMdl = (int) Math.min(left, m.byteCount() - off); inMdl > 0; ) {
                int k = Math.min(inMdl, maxPiece);
                inMdl -= k;
                left -= k;
                if (!count) {
                    int d = (slot + i) & mask;
                    iovas[i] = at;
                    lengths[i] = left > 0 ? k | TxDescriptorRing.MORE : k;
                    tags[i] = d;
                    descNbl[d] = null;
                }
                at += k;
                i++;
            }
            off = 0;
        }
        return i;
    }

    /**
     * The NBLs that completed with the first {@code done} {@link #doneTags} of a clean (the device wrote
     * them back), written into {@code out} from index 0 in completion order with status {@code status};
     * returns how many, then also {@link #lastCompleted()}.
     */
    public int completeCleaned(int done, int status, NetBufferList[] out) {
        int completed = 0;
        for (int i = 0; i < done; i++) {
            int d = doneTags[i];
            NetBufferList nbl = descNbl[d];
            if (nbl != null) {
                descNbl[d] = null;
                nbl.setStatus(status);
                if (descPayload[d] != 0) {                   // NDIS: the TCP payload sent, on completion
                    nbl.setInfo(NetBufferListInfo.TCP_LARGE_SEND, NetBufferListInfo.lsoTransmitComplete(
                            nbl.info(NetBufferListInfo.TCP_LARGE_SEND), descPayload[d]));
                    descPayload[d] = 0;
                }
                out[completed++] = nbl;
            }
        }
        lastCompleted = completed;
        return completed;
    }

    /** How many NBLs the last {@link #completeCleaned} completed. */
    public int lastCompleted() {
        return lastCompleted;
    }

    /**
     * The NBLs of the {@code n} tags a drain wrote into {@link #doneTags} (the descriptors it took back,
     * context descriptors having no tag; the device never wrote them back), each with status {@code status},
     * written into {@code out} from index 0, most recent first; returns how many.
     */
    public int abortDrained(int n, int status, NetBufferList[] out) {
        int k = takeDrained(n, out);
        for (int i = 0; i < k; i++) {
            out[i].setStatus(status);
        }
        for (int i = 0, j = k - 1; i < j; i++, j--) {        // cold path: most recent first, as before
            NetBufferList t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return k;
    }

    /**
     * The NBLs of the {@code n} tags a drain wrote into {@link #doneTags}, written into {@code out} from index 0
     * in their old (submission) order, statuses untouched; returns how many. They never left, so after a
     * reset the data path queues them first and they are sent once, not twice.
     */
    public int takeDrained(int n, NetBufferList[] out) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            NetBufferList nbl = descNbl[doneTags[i]];
            if (nbl != null) {
                descNbl[doneTags[i]] = null;
                descPayload[doneTags[i]] = 0;
                out[k++] = nbl;
            }
        }
        return k;
    }
}
