package io.nicup.ndis.miniport.intel;

/**
 * The device-trust half of MiniportCheckForHangEx (every 2 s): whether what the device said about its
 * rings since the last check can be true. Its head registers (TDH, RDH) must name a descriptor of the
 * ring (a device whose head ran past TDLEN/RDLEN writes, or reads, outside the ring); and it must not
 * have written back a descriptor the driver never handed over ({@link DescriptorRing#unsubmittedWriteBacks()}).
 * Either means its idea of the ring is not the driver's: the adapter is reset (docs/ndis-contract.md
 * §9). Two register reads per check; nothing here runs per packet. Guarded by CheckForHang's caller.
 */
final class RingConsistency {

    private long txUnsubmittedSeen;
    private long rxUnsubmittedSeen;

    /**
     * Reads TDH and RDH and the rings' counts of unsubmitted write-backs.
     *
     * @return null when the rings are consistent, else what is wrong, as one line for the error log
     */
    String check(TxDescriptorRing tx, RxDescriptorRing rx) {
        int tdh = tx.hardwareHead();
        if (!tx.insideRing(tdh)) {
            return outside("TDH", tdh, tx);
        }
        int rdh = rx.hardwareHead();
        if (!rx.insideRing(rdh)) {
            return outside("RDH", rdh, rx);
        }
        long t = tx.unsubmittedWriteBacks();
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

    private static String outside(String register, int head, DescriptorRing ring) {
        return String.format("%s=0x%08x is outside the %d-descriptor ring (%s must be below %d): the device's head left"
                + " its ring", register, head, ring.count(), register, ring.count());
    }

    private static String unsubmitted(String kind, String tail, long n) {
        return String.format("the device wrote DD into %s %s descriptor%s at %s, which it was never given", n == 1 ? "a"
                : Long.toString(n), kind, n == 1 ? "" : "s", tail);
    }
}
