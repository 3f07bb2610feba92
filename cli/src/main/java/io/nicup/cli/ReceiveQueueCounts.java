package io.nicup.cli;

import io.nicup.ndis.oid.NdisReceiveScaleCapabilities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code recv}'s frames and bytes per receive queue, as the miniport indicated them (each NBL's
 * NetBufferListInfo.RECEIVE_QUEUE, docs/ndis-contract.md §21): one row per queue the adapter announces (a
 * queue that got nothing shows 0), and a row for any other queue a frame came from. A single-queue adapter
 * has one row, queue 0.
 */
final class ReceiveQueueCounts {

    private long[] frames;
    private long[] bytes;

    /** Rows for every receive queue {@code caps} announces (one without RSS). */
    ReceiveQueueCounts(NdisReceiveScaleCapabilities caps) {
        int queues = caps == null ? 1 : Math.max(1, caps.numberOfReceiveQueues());
        frames = new long[queues];
        bytes = new long[queues];
    }

    /** A frame of {@code length} bytes from {@code queue}. */
    void count(int queue, int length) {
        if (queue >= frames.length) {
            frames = java.util.Arrays.copyOf(frames, queue + 1);
            bytes = java.util.Arrays.copyOf(bytes, queue + 1);
        }
        frames[queue]++;
        bytes[queue] += length;
    }

    /** More than one row: worth a line of its own in the text output. */
    boolean several() {
        return frames.length > 1;
    }

    /** "queues: 0: 12 frames 1500 bytes, 1: 0 frames 0 bytes, ..." */
    String line() {
        List<String> parts = new ArrayList<>();
        for (int q = 0; q < frames.length; q++) {
            parts.add(q + ": " + frames[q] + " frames " + bytes[q] + " bytes");
        }
        return "queues: " + String.join(", ", parts);
    }

    List<Map<String, Object>> json() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int q = 0; q < frames.length; q++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("queue", q);
            row.put("frames", frames[q]);
            row.put("bytes", bytes[q]);
            rows.add(row);
        }
        return rows;
    }
}
