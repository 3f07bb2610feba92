package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.Mdl;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;

/**
 * Whether MiniportSendNetBufferLists can take an NBL at all: every NET_BUFFER a frame of a length the
 * device sends, with an IOVA in every piece (sends are DMA'd straight from the NET_BUFFERs, zero copy),
 * and no more descriptors than the ring can ever hold at once (one descriptor or slot per NET_BUFFER, or
 * per piece of one whose data spans several MDLs: docs/ndis-contract.md §16), or the NBL would wait in
 * the pending queue forever.
 */
public final class SendCheck {

    private SendCheck() {
    }

    /**
     * MiniportSendNetBufferLists' verdict on one NBL: PAUSED when not {@code running}; else {@link #status}, or
     * for an LSOv2 send {@link LargeSendCheck#status} under the offloads in force ({@code offloads}, null for
     * none) and then whether {@code tx} maps it ({@link TxQueue#admitLargeSend}).
     */
    static int admit(NetBufferList nbl, boolean running, TxQueue tx, int minFrame, int maxFrame, OffloadOids offloads,
            int lsoMaxFrame) {
        if (!running) {
            return NdisStatus.PAUSED;
        }
        if (!LargeSendCheck.asksForLargeSend(nbl)) {
            return status(nbl, minFrame, maxFrame, tx.maxNetBuffers());
        }
        int status = LargeSendCheck.status(nbl, offloads == null ? null : offloads.current(), lsoMaxFrame);
        return status == NdisStatus.SUCCESS ? tx.admitLargeSend(nbl) : status;
    }

    /**
     * SUCCESS, or INVALID_LENGTH when a NET_BUFFER is shorter than {@code minLength}, longer than
     * {@code maxLength} or has a piece without an IOVA, or the NBL has no NET_BUFFER or needs more than
     * {@code maxNetBuffers} descriptors (one per NET_BUFFER, one per piece of a split one).
     */
    public static int status(NetBufferList nbl, int minLength, int maxLength, int maxNetBuffers) {
        int status = NdisStatus.SUCCESS;
        int n = 0;
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            int len = nb.dataLength();
            if (len < minLength || len > maxLength || nb.dataIova() == NetBuffer.NO_IOVA) {
                status = NdisStatus.INVALID_LENGTH;
            }
            if (nb.contiguous()) {
                n++;
            } else {
                int p = pieces(nb);
                n += p;
                if (p < 0) {
                    status = NdisStatus.INVALID_LENGTH;
                }
            }
        }
        if (n == 0 || n > maxNetBuffers) {
            status = NdisStatus.INVALID_LENGTH;
        }
        return status;
    }

    /**
     * Descriptors a NET_BUFFER whose data spans several MDLs needs: one per piece holding data (an empty MDL
     * needs none); -1 when a piece has no IOVA or the chain ends before the data does.
     */
    public static int pieces(NetBuffer nb) {
        int left = nb.dataLength();
        long off = nb.currentMdlOffset();
        int n = 0;
        for (Mdl m = nb.currentMdl(); left > 0; m = m.next()) {
            if (m == null) {
                return -1;
            }
            int k = (int) Math.min(left, m.byteCount() - off);
            if (k > 0) {
                if (m.iova() == NetBuffer.NO_IOVA) {
                    return -1;
                }
                left -= k;
                n++;
            }
            off = 0;
        }
        return n;
    }
}
