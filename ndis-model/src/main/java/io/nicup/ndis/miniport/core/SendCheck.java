package io.nicup.ndis.miniport.core;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;

/**
 * Whether MiniportSendNetBufferLists can take an NBL at all: every NET_BUFFER a frame of a length the
 * device sends, with an IOVA (sends are DMA'd straight from the NET_BUFFERs, zero copy), and no more
 * NET_BUFFERs than the ring can ever hold at once (one descriptor or slot each), or the NBL would wait
 * in the pending queue forever.
 */
public final class SendCheck {

    private SendCheck() {
    }

    /**
     * SUCCESS, or INVALID_LENGTH when a NET_BUFFER is shorter than {@code minLength}, longer than
     * {@code maxLength} or has no IOVA, or the NBL has none or more than {@code maxNetBuffers}.
     */
    public static int status(NetBufferList nbl, int minLength, int maxLength, int maxNetBuffers) {
        int status = NdisStatus.SUCCESS;
        int n = 0;
        for (NetBuffer nb = nbl.firstNetBuffer(); nb != null; nb = nb.next()) {
            int len = nb.dataLength();
            if (len < minLength || len > maxLength || nb.dataIova() == NetBuffer.NO_IOVA) {
                status = NdisStatus.INVALID_LENGTH;
            }
            n++;
        }
        if (n == 0 || n > maxNetBuffers) {
            status = NdisStatus.INVALID_LENGTH;
        }
        return status;
    }
}
