package io.nicup.ndis.conformance;

import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.datapath.NetBuffer;
import io.nicup.ndis.datapath.NetBufferList;
import io.nicup.ndis.datapath.NetBufferListPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shapes of send HLK's 1c_Mini6Send and 2c_Mini6SendRecv give a miniport (docs/ndis-contract.md §5;
 * the NET_BUFFER and MDL layout in docs/ndis-contract.md §16): one MiniportSendNetBufferLists call with a chain of {@link #CHAIN} NBLs, frames from a runt to the
 * MTU, data that starts at an offset into its buffer, NBLs of 2 to 8 NET_BUFFERs (one frame each), NET_BUFFERs
 * whose data is split over 2 to 5 MDLs apart from each other (the MAC header whole in the first, as
 * WDD sending-ethernet-frames requires), and frames arriving while the chain is sent. Every NBL completes
 * once with SUCCESS, and on a simulated NIC every frame reaches the wire byte for byte, in order (a runt as
 * it is or zero-padded to 60 bytes), and every injected frame is received intact.
 */
final class SendShapesCheck implements ConformanceCheck {

    static final int CHAIN = 200;
    static final int INJECTED = 32;
    /** Ethernet's minimum frame, 64 bytes with the FCS: an Intel chip pads shorter ones to it, virtio-net need not. */
    static final int MIN_FRAME = 60;
    /** Most NET_BUFFERs in one NBL of the chain, and most MDLs one NET_BUFFER's data is split over. */
    static final int MAX_NET_BUFFERS = 8;
    static final int MAX_PIECES = 5;
    /** Bytes between two pieces of a split NET_BUFFER: a miniport that reads past a piece sends these. */
    static final int GAP = 16;
    /** Bytes of the MAC header, never split (WDD sending-ethernet-frames). */
    private static final int MAC_HEADER = 14;

    /** What one NBL of the chain carries: its frames, and how many MDLs each frame's data is split over. */
    private record Shape(List<byte[]> frames, int pieces) {
    }

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
        List<Shape> shapes = shapes(c, maxFrame);
        List<byte[]> frames = shapes.stream().flatMap(s -> s.frames().stream()).toList();
        c.wire().ifPresent(SimulatedWire::takeTransmitted);
        NetBufferListPool pool = c.host().allocateSendPool(c.adapter(), CHAIN, MAX_NET_BUFFERS,
                maxFrame + 64 + MAX_PIECES * GAP);
        NetBufferList head = chain(pool, shapes);
        if (head == null) {
            return CheckResult.fail("the send pool gave fewer than " + CHAIN + " NBLs");
        }
        String shapesSent = describe(shapes, frames.size(), maxFrame);
        long sendsBefore = c.adapter().counters().sendsCompleted();
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
        long counted = c.adapter().counters().sendsCompleted() - sendsBefore;
        if (counted != CHAIN) {
            return CheckResult.fail("NDIS counted " + counted + " completions for a chain of " + CHAIN + " NBLs");
        }
        if (c.wire().isEmpty()) {
            return CheckResult.pass(shapesSent + ": every NBL completed once with SUCCESS (the bytes on the wire need"
                    + " a simulated NIC to be seen)");
        }
        int[] piecesOf = shapes.stream().flatMapToInt(s -> java.util.stream.IntStream.generate(s::pieces)
                .limit(s.frames().size())).toArray();
        Optional<String> wrong = onTheWire(c.wire().get().takeTransmitted(), frames, piecesOf);
        if (wrong.isEmpty()) {
            c.await(() -> received(c, injected) >= INJECTED, Duration.ofMillis(100));
            long arrived = received(c, injected);
            if (arrived != INJECTED) {
                wrong = Optional.of("of " + INJECTED + " frames injected while the chain went out " + arrived
                        + " arrived intact");
            }
        }
        return wrong.map(CheckResult::fail).orElseGet(() -> CheckResult.pass(shapesSent + ": each frame on the wire"
                + " byte for byte and in order (runts as sent or zero-padded to 60), every NBL completed once with"
                + " SUCCESS, and " + INJECTED + " frames received meanwhile"));
    }

    /**
     * The chain's NBLs: most carry one frame in one MDL; every tenth from the third on carries 2 to 8 frames,
     * every tenth from the sixth one frame split over 2 to 5 MDLs, every tenth from the eighth both.
     */
    private static List<Shape> shapes(CheckContext c, int maxFrame) {
        List<Shape> shapes = new ArrayList<>();
        int seq = 0;
        for (int i = 0; i < CHAIN; i++) {
            int netBuffers = i % 10 == 2 || i % 10 == 8 ? 2 + i % 7 : 1;
            int pieces = i % 10 == 5 || i % 10 == 8 ? 2 + i % 4 : 1;
            List<byte[]> frames = new ArrayList<>();
            for (int j = 0; j < netBuffers; j++, seq++) {
                int length = seq % 4 == 0 ? 42 : MIN_FRAME + (seq * 97) % (maxFrame - MIN_FRAME + 1);
                frames.add(Frames.frame(CheckContext.PEER, c.mac(), Math.max(length, 18), 90_000 + seq));
            }
            shapes.add(new Shape(frames, pieces));
        }
        return shapes;
    }

    private static String describe(List<Shape> shapes, int frames, int maxFrame) {
        long multi = shapes.stream().filter(s -> s.frames().size() > 1).count();
        long split = shapes.stream().filter(s -> s.pieces() > 1).mapToLong(s -> s.frames().size()).sum();
        return "a chain of " + CHAIN + " NBLs with " + frames + " frames of 42 to " + maxFrame + " bytes, data at"
                + " offsets up to 63 bytes, " + multi + " NBLs of 2 to " + MAX_NET_BUFFERS + " NET_BUFFERs, " + split
                + " NET_BUFFERs split over 2 to " + MAX_PIECES + " MDLs";
    }

    /** One chain; frame k (counted over the whole chain) starts {@code k % 64} bytes into its buffer. */
    private static NetBufferList chain(NetBufferListPool pool, List<Shape> shapes) {
        NetBufferList head = null;
        NetBufferList tail = null;
        int k = 0;
        for (Shape shape : shapes) {
            NetBufferList nbl = pool.allocate(shape.frames().size());
            if (nbl == null) {
                return null;
            }
            NetBuffer nb = nbl.firstNetBuffer();
            for (byte[] f : shape.frames()) {
                if (shape.pieces() > 1) {
                    nb.split(k % 64, GAP, pieces(f.length, shape.pieces()));
                } else {
                    nb.setData(k % 64, f.length);
                }
                nb.copyDataFrom(f, 0, f.length);
                nb = nb.next();
                k++;
            }
            if (head == null) {
                head = nbl;
            } else {
                tail.setNext(nbl);
            }
            tail = nbl;
        }
        return head;
    }

    /** {@code length} bytes in {@code n} pieces: the MAC header whole in the first, the rest spread evenly. */
    static int[] pieces(int length, int n) {
        int[] out = new int[n];
        int rest = length - MAC_HEADER;
        for (int i = 0; i < n; i++) {
            out[i] = rest / n + (i == n - 1 ? rest % n : 0);
        }
        out[0] += MAC_HEADER;
        return out;
    }

    /** The wire saw {@code sent} and nothing else, in order, each byte for byte (a runt maybe zero-padded). */
    private static Optional<String> onTheWire(List<byte[]> ours, List<byte[]> sent, int[] piecesOf) {
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
                        + (piecesOf[i] > 1 ? ", split over " + piecesOf[i] + " MDLs" : "") + ") reached the wire changed ("
                        + w.length + " bytes)");
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
