package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.oid.Oid;
import io.nicup.ndis.oid.OidResult;
import io.nicup.ndis.trace.TimedRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The query buffer protocol, as HLK's 1c_64BitOIDs exercises it (docs/ndis-contract.md §6, §15): every query
 * OID the adapter lists, asked with no buffer, answers empty or says BUFFER_TOO_SHORT / INVALID_LENGTH with
 * BytesNeeded; asked with BytesNeeded it succeeds and writes no more; asked with one byte less it does not
 * succeed. A listed 64-bit statistics OID follows the 0-, 4- and 8-byte rules.
 */
final class OidBufferCheck implements ConformanceCheck {

    /** OID_GEN_XMIT_OK .. OID_GEN_RCV_NO_BUFFER (docs/ndis-contract.md §15). */
    static final List<Integer> STATISTICS_64 = List.of(0x0002_0101, 0x0002_0102, 0x0002_0103, 0x0002_0104, 0x0002_0105);

    @Override
    public String name() {
        return "oid-buffers";
    }

    @Override
    public String mirrors() {
        return "HLK 1c_64BitOIDs";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        int statistics64 = 0;
        for (int oid : QueryOids.listed(c.adapter())) {
            Optional<OidResult> empty = query(c, oid, 0);
            if (empty.isEmpty()) {
                wrong.add(Oid.name(oid) + " with 0 bytes not completed");
                continue;
            }
            checked++;
            if (STATISTICS_64.contains(oid)) {
                statistics64++;
                statistics64(c, oid, empty.get(), wrong);
                continue;
            }
            OidResult r = empty.get();
            if (r.succeeded()) {
                if (r.bytesWritten() != 0) {
                    wrong.add(Oid.name(oid) + " with 0 bytes wrote " + r.bytesWritten());
                }
                continue;
            }
            if (!shortBuffer(r.status()) || r.bytesNeeded() <= 0 || r.bytesWritten() != 0) {
                wrong.add(Oid.name(oid) + " with 0 bytes: " + r + " (wanted BUFFER_TOO_SHORT or INVALID_LENGTH,"
                        + " BytesNeeded > 0, nothing written)");
                continue;
            }
            int needed = r.bytesNeeded();
            query(c, oid, needed).ifPresentOrElse(full -> {
                if (!full.succeeded() || full.bytesWritten() > needed) {
                    wrong.add(Oid.name(oid) + " with BytesNeeded=" + needed + ": " + full);
                }
            }, () -> wrong.add(Oid.name(oid) + " with " + needed + " bytes not completed"));
            if (needed > 1) {
                query(c, oid, needed - 1).filter(OidResult::succeeded).ifPresent(less -> wrong.add(Oid.name(oid)
                        + " with " + (needed - 1) + " bytes succeeded although BytesNeeded=" + needed + ": " + less));
            }
        }
        if (!wrong.isEmpty()) {
            return CheckResult.fail(wrong.size() + " wrong answer(s): " + String.join("; ", wrong));
        }
        return CheckResult.pass(checked + " query OIDs answered 0 bytes, BytesNeeded and one byte less as documented; "
                + (statistics64 == 0 ? "no 64-bit statistics OID listed (NDIS answers them from OID_GEN_STATISTICS)"
                        : statistics64 + " 64-bit statistics OIDs followed the 0-, 4- and 8-byte rules"));
    }

    /** 0 bytes: BytesNeeded 8, nothing written; 4: the low half, 4 written, BytesNeeded 8; 8: all of it. */
    private static void statistics64(CheckContext c, int oid, OidResult empty, List<String> wrong) {
        String name = Oid.name(oid);
        if (!shortBuffer(empty.status()) || empty.bytesNeeded() != 8 || empty.bytesWritten() != 0) {
            wrong.add(name + " with 0 bytes: " + empty + " (wanted INVALID_LENGTH, BytesNeeded 8)");
            return;
        }
        Optional<OidResult> four = query(c, oid, 4);
        Optional<OidResult> eight = query(c, oid, 8);
        if (four.isEmpty() || eight.isEmpty()) {
            wrong.add(name + " with 4 or 8 bytes not completed");
            return;
        }
        OidResult low = four.get();
        OidResult full = eight.get();
        if (!low.succeeded() || low.bytesWritten() != 4 || low.bytesNeeded() != 8) {
            wrong.add(name + " with 4 bytes: " + low + " (wanted SUCCESS, 4 written, BytesNeeded 8)");
        }
        if (!full.succeeded() || full.bytesWritten() != 8) {
            wrong.add(name + " with 8 bytes: " + full + " (wanted SUCCESS, 8 written)");
        }
    }

    private static boolean shortBuffer(int status) {
        return status == NdisStatus.BUFFER_TOO_SHORT || status == NdisStatus.INVALID_LENGTH;
    }

    private static Optional<OidResult> query(CheckContext c, int oid, int length) {
        return c.await(c.host().query(c.adapter(), oid, length), TimedRules.OID_COMPLETE.plusSeconds(1));
    }
}
