package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.intel.IntelCounters.Counter;
import io.nicup.ndis.oid.NdisStatisticsInfo;

/**
 * OID_GEN_STATISTICS from the statistics registers the 82574L and the 82576 share (same names, same
 * meaning): good and broadcast/multicast frames and octets each way, receive errors, missed packets,
 * collisions.
 */
public final class IntelStatistics {

    /** The NDIS_STATISTICS_INFO fields {@link #of} fills. */
    public static final int SUPPORTED_STATISTICS = NdisStatisticsInfo.VALID_DIRECTED_FRAMES_RCV
            | NdisStatisticsInfo.VALID_MULTICAST_FRAMES_RCV | NdisStatisticsInfo.VALID_BROADCAST_FRAMES_RCV
            | NdisStatisticsInfo.VALID_BYTES_RCV | NdisStatisticsInfo.VALID_RCV_DISCARDS
            | NdisStatisticsInfo.VALID_RCV_ERROR | NdisStatisticsInfo.VALID_DIRECTED_FRAMES_XMIT
            | NdisStatisticsInfo.VALID_MULTICAST_FRAMES_XMIT | NdisStatisticsInfo.VALID_BROADCAST_FRAMES_XMIT
            | NdisStatisticsInfo.VALID_BYTES_XMIT | NdisStatisticsInfo.VALID_XMIT_ERROR;

    private IntelStatistics() {
    }

    /**
     * NDIS_STATISTICS_INFO from the accumulated counters: directed = good - broadcast - multicast, receive
     * errors = CRC + alignment + symbol + RX errors + oversize, discards = missed packets (MPC).
     */
    public static NdisStatisticsInfo of(IntelCounters counters) {
        long bprc = counters.get(Counter.BPRC);
        long mprc = counters.get(Counter.MPRC);
        long bptc = counters.get(Counter.BPTC);
        long mptc = counters.get(Counter.MPTC);
        long inErrors = counters.get(Counter.CRCERRS) + counters.get(Counter.ALGNERRC) + counters.get(Counter.SYMERRS)
                + counters.get(Counter.RXERRC) + counters.get(Counter.ROC);
        return new NdisStatisticsInfo(SUPPORTED_STATISTICS, counters.get(Counter.MPC), inErrors,
                counters.get(Counter.GORC), counters.get(Counter.GPRC) - bprc - mprc, mprc, bprc,
                counters.get(Counter.GOTC), counters.get(Counter.GPTC) - bptc - mptc, mptc, bptc,
                counters.get(Counter.COLC), 0, 0, 0, 0, 0, 0, 0);
    }
}
