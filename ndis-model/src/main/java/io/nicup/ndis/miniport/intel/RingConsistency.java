package io.nicup.ndis.miniport.intel;

/**
 * The device-trust half of MiniportCheckForHangEx (every 2 s): whether what the device said about its
 * rings since the last check can be true. Its head registers (TDH, RDH) must name a descriptor of the
 * ring (a device whose head ran past TDLEN/RDLEN writes, or reads, outside the ring); RDH must not lie
 * beyond the tail, nor stay past a descriptor without DD for two checks in a row (the device says it
 * wrote back what memory does not show: its write-backs go somewhere else); and it must not have written
 * back a descriptor the driver never handed over ({@link DescriptorRing#unsubmittedWriteBacks()}).
 * Either means its idea of the ring is not the driver's: the adapter is reset (docs/ndis-contract.md
 * §13). Two register reads per check; nothing here runs per packet. Guarded by CheckForHang's caller.
 */
final class RingConsistency {

    private long txUnsubmittedSeen;
    private long rxUnsubmittedSeen;
    /** The descriptor RDH had moved past without DD at the previous check, or -1. */
    private int rxMissingWriteBack = -1;

    /**
     * Reads TDH and RDH and the rings' counts of unsubmitted write-backs. Caller holds the transmit lock;
     * RDH is read and judged holding {@code rxLock}, the lock of {@code rx}'s queue only: its poll index is
     * all it is judged against (docs/ndis-contract.md §21.3). {@code tx} null: the receive ring only (the rings of
     * receive queues after the first, whose instance checks the transmit ring).
     *
     * @return null when the rings are consistent, else what is wrong, as one line for the error log
     */
    String check(TxDescriptorRing tx, RxDescriptorRing rx, Object rxLock) {
        int tdh = tx == null ? 0 : tx.hardwareHead();
        if (tx != null && !tx.insideRing(tdh)) {
            return outside("TDH", tdh, tx);
        }
        String rxHead;
        synchronized (rxLock) {                              // RDH against a poll index that cannot move meanwhile
            int rdh = rx.hardwareHead();
            rxHead = rx.insideRing(rdh) ? receiveHead(rx, rdh) : outside("RDH", rdh, rx);
        }
        if (rxHead != null) {
            return rxHead;
        }
        long t = tx == null ? 0 : tx.unsubmittedWriteBacks();
        long r = rx.unsubmittedWriteBacks();
        long newTx = t - txUnsubmittedSeen;
        long newRx = r - rxUnsubmittedSeen;
        txUnsubmittedSeen = t;
        rxUnsubmittedSeen = r;
        if (newTx > 0) {
            return unsubmitted("transmit", "TDT", newTx);
        }
        if (newRx > 0) {
            return unsubmitted("receive", "RDT", newRx);
        }
        return null;
    }

    private String receiveHead(RxDescriptorRing rx, int rdh) {
        int state = rx.headState(rdh);
        if (state == RxDescriptorRing.HEAD_BEYOND_TAIL) {
            return String.format("RDH=%d lies beyond RDT=%d: the device claims receive descriptors it was never given",
                    rdh, rx.tail());
        }
        if (state != RxDescriptorRing.HEAD_AHEAD_WITHOUT_DD) {
            rxMissingWriteBack = -1;
            return null;
        }
        int slot = rx.pollIndex();
        if (slot != rxMissingWriteBack) {
            rxMissingWriteBack = slot;                       // it may be writing it back now: look again next time
            return null;
        }
        rxMissingWriteBack = -1;
        return String.format("RDH=%d has been past receive descriptor %d for two checks and it has no DD: the device's"
                + " write-backs do not reach the ring", rdh, slot);
    }

    private static String outside(String register, int head, DescriptorRing ring) {
        return String.format("%s=0x%08x is outside the %d-descriptor ring (%s must be below %d): the device's head left"
                + " its ring", register, head, ring.count(), register, ring.count());
    }

    private static String unsubmitted(String kind, String tail, long n) {
        return String.format("the device wrote DD into %s %s descriptor%s at %s, which it was never given", n == 1 ? "a"
                : Long.toString(n), kind, n == 1 ? "" : "s", tail);
    }
}
