package io.nicup.cli;

import io.nicup.ndis.oid.MediaConnectState;
import io.nicup.ndis.oid.NdisLinkState;
import io.nicup.ndis.oid.NdisStatisticsInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a traffic run must account for besides its own frames, read before and after it: the driver's
 * dropped receives and adapter resets, the frames OID_GEN_STATISTICS says went out, and the link state
 * indications NDIS passed up. {@link #since} turns two readings into the run's losses and recoveries.
 */
record RunCounters(long rxDropped, long resets, long framesOut, int linkIndications) {

    /** Reads the counters now; only while the device is present (a removed one answers all-ones). */
    static RunCounters take(Session s) {
        Map<String, Long> driver = s.diagnostics().driverCounters();
        NdisStatisticsInfo st = s.statistics();
        return new RunCounters(driver.getOrDefault("rx_dropped", 0L), driver.getOrDefault("resets", 0L),
                st.ifHCOutUcastPkts() + st.ifHCOutMulticastPkts() + st.ifHCOutBroadcastPkts(), s.edge.linkStates().size());
    }

    /**
     * The run between {@code before} and now: receives the driver dropped, resets, the frames the device
     * counted as sent, and the link's downs during it (indications after {@code before}'s).
     */
    record Delta(long rxDropped, long resets, long framesOut, int linkDowns, boolean linkDownAtEnd) {

        /** One warning line per kind of recovery the run went through, none when it went through none. */
        List<String> warnings() {
            List<String> w = new ArrayList<>();
            if (resets > 0) {
                w.add("the driver reset the adapter " + times(resets) + " during the run (MiniportResetEx after"
                        + " CheckForHang found it hung): frames in flight were completed or dropped");
            }
            if (linkDowns > 0) {
                w.add("the link went down " + times(linkDowns) + " during the run"
                        + (linkDownAtEnd ? " and is still down" : " and came back") + ": frames on the wire meanwhile were lost");
            }
            return w;
        }

        private static String times(long n) {
            return n == 1 ? "once" : n + " times";
        }
    }

    Delta since(Session s) {
        RunCounters now = take(s);
        List<NdisLinkState> states = s.edge.linkStates();
        int downs = 0;
        for (NdisLinkState l : states.subList(Math.min(linkIndications, states.size()), states.size())) {
            if (l.mediaConnectState() != MediaConnectState.MediaConnectStateConnected) {
                downs++;
            }
        }
        boolean downAtEnd = !states.isEmpty()
                && states.getLast().mediaConnectState() != MediaConnectState.MediaConnectStateConnected;
        return new Delta(now.rxDropped - rxDropped, now.resets - resets, now.framesOut - framesOut, downs,
                downs > 0 && downAtEnd);
    }
}
