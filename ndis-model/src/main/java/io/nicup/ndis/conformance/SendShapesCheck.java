package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shapes of send HLK's 1c_Mini6Send and 2c_Mini6SendRecv give a miniport (docs/ndis-contract.md §5): one
 * MiniportSendNetBufferLists call with a chain of {@link #CHAIN} NBLs, frames from a runt to the MTU, data
 * that starts at an offset into its buffer, and frames arriving while the chain is sent. Every send completes
 * with SUCCESS, and on a simulated NIC every frame reaches the wire byte for byte, in order (a runt as it is
 * or zero-padded to 60 bytes), and every injected frame is received intact.
 */
final class SendShapesCheck implements ConformanceCheck {

    static final int CHAIN = 200;
    static final int INJECTED = 32;
    /** Ethernet's minimum frame, 64 bytes with the FCS: an Intel chip pads shorter ones to it, virtio-net need not. */
    static final int MIN_FRAME = 60;

    @Override
    public String name() {
        return "send-shapes";
    }

    @Override
    public String mirrors() {
        return "HLK 1c_Mini6Send, 2c_Mini6SendRecv";
    }

    @Override
    public CheckResult run(CheckContext c) {
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        int maxFrame = c.adapter().generalAttributes().mtuSize() + 14;
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < CHAIN; i++) {
            int length = i % 4 == 0 ? 42 : MIN_FRAME + (i * 97) % (maxFrame - MIN_FRAME + 1);
            frames.add(Frames.frame(CheckContext.PEER, c.mac(), Math.max(length, 18), 90_000 + i));
        }
        c.wire().ifPresent(SimulatedWire::takeTransmitted);
        NetBufferListPool pool = c.host().allocateSendPool(c.adapter(), CHAIN, maxFrame + 64);
        NetBufferList head = chain(pool, frames);
        if (head == null) {
            return CheckResult.fail("the send pool gave fewer than " + CHAIN + " NBLs");
        }
        long okBefore = c.edge().completedOk();
        long failedBefore = c.edge().completedFailed();
        c.host().send(c.adapter(), head, 0, 0);
        List<byte[]> injected = new ArrayList<>();
        if (c.wire().isPresent()) {
            for (int i = 0; i < INJECTED; i++) {
                injected.add(Frames.frame(c.mac(), CheckContext.PEER, 64 + i * 40, 95_000 + i));
                c.wire().get().inject(injected.getLast());
            }
        }
        c.await(() -> c.edge().completedOk() + c.edge().completedFailed() >= okBefore + failedBefore + CHAIN,
                Duration.ofSeconds(5));
        long ok = c.edge().completedOk() - okBefore;
        if (ok != CHAIN) {
            return CheckResult.fail("of a chain of " + CHAIN + " NBLs " + ok + " completed with SUCCESS, "
                    + (c.edge().completedFailed() - failedBefore) + " failed (last status "
                    + NdisStatus.name(c.edge().lastFailureStatus()) + ")");
        }
        if (c.wire().isEmpty()) {
            return CheckResult.pass("a chain of " + CHAIN + " NBLs, 42 to " + maxFrame + " bytes, data at offsets up to"
                    + " 63 bytes: all completed with SUCCESS (the bytes on the wire need a simulated NIC to be seen)");
        }
        Optional<String> wrong = onTheWire(c.wire().get().takeTransmitted(), frames);
        if (wrong.isEmpty()) {
            c.await(() -> received(c, injected) >= INJECTED, Duration.ofMillis(100));
            long arrived = received(c, injected);
            if (arrived != INJECTED) {
                wrong = Optional.of("of " + INJECTED + " frames injected while the chain went out " + arrived
                        + " arrived intact");
            }
        }
        return wrong.map(CheckResult::fail).orElseGet(() -> CheckResult.pass("a chain of " + CHAIN + " NBLs, 42 to "
                + maxFrame + " bytes, data at offsets up to 63 bytes: each on the wire byte for byte and in order"
                + " (runts as sent or zero-padded to 60), and " + INJECTED + " frames received meanwhile"));
    }

    /** One chain, each NBL's data starting {@code i % 64} bytes into its buffer. */
    private static NetBufferList chain(NetBufferListPool pool, List<byte[]> frames) {
        NetBufferList head = null;
        NetBufferList tail = null;
        for (int i = 0; i < frames.size(); i++) {
            NetBufferList nbl = pool.allocate();
            if (nbl == null) {
                return null;
            }
            byte[] f = frames.get(i);
            nbl.firstNetBuffer().setData(i % 64, f.length);
            nbl.firstNetBuffer().copyDataFrom(f, 0, f.length);
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        return head;
    }

    /** The wire saw {@code sent} and nothing else, in order, each byte for byte (a runt maybe zero-padded). */
    private static Optional<String> onTheWire(List<byte[]> ours, List<byte[]> sent) {
        if (ours.size() != sent.size()) {
            return Optional.of(ours.size() + " of " + sent.size() + " frames reached the wire");
        }
        for (int i = 0; i < sent.size(); i++) {
            byte[] s = sent.get(i);
            byte[] w = ours.get(i);
            if (!Frames.same(s, w) && Frames.seq(w) != Frames.seq(s) && Frames.seq(w) >= 0) {
                return Optional.of("frame " + i + " reached the wire out of order (seq " + Frames.seq(w) + ")");
            }
            boolean padded = w.length == s.length || s.length < MIN_FRAME && w.length == MIN_FRAME && zeroFrom(w, s.length);
            if (!Frames.same(s, w) || !padded) {
                return Optional.of("frame " + i + " of " + s.length + " bytes (data offset " + i % 64
                        + ") reached the wire changed (" + w.length + " bytes)");
            }
        }
        return Optional.empty();
    }

    private static boolean zeroFrom(byte[] frame, int from) {
        for (int i = from; i < frame.length; i++) {
            if (frame[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** How many of {@code injected} arrived intact. */
    private static long received(CheckContext c, List<byte[]> injected) {
        List<byte[]> got = c.edge().received();
        return injected.stream().filter(i -> got.stream().anyMatch(g -> Frames.same(i, g))).count();
    }
}
