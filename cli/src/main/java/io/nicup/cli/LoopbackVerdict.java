package io.nicup.cli;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Judges looped-back frames as they arrive, keeping one bit per sent frame rather than the frames:
 * each received frame is matched to the sent one with its sequence number (payload bytes 14..17, see
 * {@link Traffic#frame}), so one lost frame is reported as missing, not as every later frame differing.
 * The verdict names, in this order: a frame that is not one of ours, a corrupted frame, a frame that
 * came back twice, one out of order, the missing frames; null when all came back identical.
 */
final class LoopbackVerdict {

    private final List<byte[]> sent;
    private final BitSet seen;
    private String problem;
    private String order;
    private int last = -1;
    private long received;
    private long bytes;

    LoopbackVerdict(List<byte[]> sent) {
        this.sent = sent;
        this.seen = new BitSet(sent.size());
    }

    void accept(byte[] b) {
        long k = received++;
        bytes += b.length;
        if (problem != null) {
            return;
        }
        int seq = b.length >= 18 ? (b[14] & 0xFF) << 24 | (b[15] & 0xFF) << 16 | (b[16] & 0xFF) << 8 | (b[17] & 0xFF) : -1;
        if (seq < 0 || seq >= sent.size()) {
            problem = "received frame " + k + " is not one nicup sent (" + b.length + " bytes, sequence " + seq + ")";
            return;
        }
        byte[] a = sent.get(seq);
        int at = Arrays.mismatch(a, b);
        if (at >= 0) {
            problem = "frame " + seq + " differs at byte " + at + " (sent " + a.length + " bytes, received " + b.length + ")";
        } else if (seen.get(seq)) {
            problem = "frame " + seq + " came back twice";
        } else {
            seen.set(seq);
            if (seq < last && order == null) {
                order = "frame " + seq + " came back after frame " + last + " (out of order)";
            }
            last = Math.max(last, seq);
        }
    }

    long received() {
        return received;
    }

    long bytes() {
        return bytes;
    }

    /** The verdict over the first {@code offered} sent frames (all of them unless interrupted). */
    String mismatch(int offered) {
        if (problem != null) {
            return problem;
        }
        if (order != null) {
            return order;
        }
        int back = seen.get(0, offered).cardinality();
        if (back < offered) {
            return (offered - back) + " of " + offered + " frames did not come back (first missing: frame "
                    + seen.nextClearBit(0) + ")";
        }
        return null;
    }
}
