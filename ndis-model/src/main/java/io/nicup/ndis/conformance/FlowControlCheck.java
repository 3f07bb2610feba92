package io.nicup.ndis.conformance;

import io.nicup.ndis.MacAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HLK's TxFlowControl: a PAUSE frame with quanta 0xFFFF stops transmission for the time the quanta give at the
 * link speed, quanta 0 resumes it (IEEE 802.3 Annex 31B; docs/hardware-reference.md B.14).
 *
 * <p>The link partner is the simulated wire: it injects the PAUSE frames and times what the NIC transmits on
 * the device clock. Sends queued behind a PAUSE 0xFFFF must not leave before 65535 x 512 bit times at the speed
 * the adapter indicated (33.55 ms at 1 Gb/s) and must leave then; behind a second PAUSE 0xFFFF they must leave
 * as soon as a PAUSE 0 arrives; every send completes. The tolerance is one full-size frame on the wire (1518
 * bytes, preamble and inter-frame gap: 1538 byte times): 802.3 lets a frame that has begun finish, so a real MAC
 * may be that much late, and a frame already on its way when the PAUSE arrived may be that much early.
 */
final class FlowControlCheck implements ConformanceCheck {

    /** The reserved multicast address of MAC control PAUSE frames (802.3 Annex 31B). */
    static final MacAddress PAUSE_ADDRESS = MacAddress.parse("01:80:c2:00:00:01");
    static final int MAC_CONTROL = 0x8808;
    static final int OPCODE_PAUSE = 0x0001;
    static final int FULL_QUANTA = 0xFFFF;
    static final int BITS_PER_QUANTUM = 512;
    /** A full-size frame with FCS (1518), preamble and SFD (8) and the inter-frame gap (12), in bytes. */
    static final int FRAME_ON_WIRE_BYTES = 1538;
    static final int SENDS = 64;
    static final int LENGTH = 1514;

    @Override
    public String name() {
        return "flow-control";
    }

    @Override
    public String mirrors() {
        return "HLK TxFlowControl";
    }

    @Override
    public CheckResult run(CheckContext c) {
        if (c.wire().isEmpty()) {
            return CheckResult.skipped("needs a link partner that sends IEEE 802.3x PAUSE frames and times the"
                    + " frames the NIC sends: real hardware has none here");
        }
        SimulatedWire wire = c.wire().get();
        if (!wire.modelsFlowControl()) {
            return CheckResult.skipped(wire.noFlowControl());
        }
        Optional<CheckResult> down = c.running(CheckContext.DEFAULT_FILTER);
        if (down.isPresent()) {
            return down.get();
        }
        long bps = c.adapter().linkState().xmitLinkSpeed();
        if (bps <= 0) {
            return CheckResult.fail("the adapter indicated no link speed: " + c.adapter().linkState());
        }
        long expected = nanos((long) FULL_QUANTA * BITS_PER_QUANTUM, bps);
        long tolerance = nanos(FRAME_ON_WIRE_BYTES * 8L, bps);
        String clock = c.target().simulated() ? " virtual" : "";
        wire.takeTransmittedTimed();

        // 1: PAUSE 0xFFFF, then sends: none may leave before the quanta have run out, all must leave then
        long sent = c.sendsCompleted();
        long t0 = c.now();
        wire.inject(pause(FULL_QUANTA));
        int first = c.send(Frames.frames(CheckContext.PEER, c.mac(), SENDS, LENGTH, 40_000));
        c.await(() -> c.sendsCompleted() >= sent + first, Duration.ofSeconds(1));
        Optional<Long> left = firstLeft(wire.takeTransmittedTimed());
        if (left.isEmpty()) {
            return CheckResult.fail("none of " + first + " sends queued behind PAUSE 0x" + hex(FULL_QUANTA)
                    + " reached the wire within 1 s" + clock);
        }
        long held = left.get() - t0;
        if (Math.abs(held - expected) > tolerance) {
            return CheckResult.fail("PAUSE 0x" + hex(FULL_QUANTA) + " at " + bps / 1_000_000 + " Mb/s: the first of "
                    + first + " queued sends left " + ms(held) + clock + " after it, expected " + ms(expected)
                    + " (65535 x 512 bit times) +- " + ms(tolerance) + (held < expected ? ": transmission did not stop"
                    : ": transmission resumed late"));
        }

        // 2: PAUSE 0xFFFF, sends, then PAUSE 0: they must leave at once
        wire.inject(pause(FULL_QUANTA));
        long sentBefore = c.sendsCompleted();
        int second = c.send(Frames.frames(CheckContext.PEER, c.mac(), SENDS, LENGTH, 41_000));
        c.pump(Duration.ofMillis(1));
        List<SimulatedWire.Transmitted> early = ours(wire.takeTransmittedTimed());
        if (!early.isEmpty()) {
            return CheckResult.fail(early.size() + " of " + second + " sends left during a second PAUSE 0x"
                    + hex(FULL_QUANTA) + ", 1 ms" + clock + " after it");
        }
        long t1 = c.now();
        wire.inject(pause(0));
        int queued = second;
        c.await(() -> c.sendsCompleted() >= sentBefore + queued, Duration.ofSeconds(1));
        Optional<Long> resumed = firstLeft(wire.takeTransmittedTimed());
        if (resumed.isEmpty() || resumed.get() - t1 > tolerance) {
            return CheckResult.fail("PAUSE 0 did not resume transmission at once: " + (resumed.isEmpty()
                    ? "nothing left within 1 s" + clock : "the first send left " + ms(resumed.get() - t1) + clock
                    + " after it (tolerance " + ms(tolerance) + ")"));
        }
        long completed = c.sendsCompleted() - sent;
        if (completed != first + second) {
            return CheckResult.fail(completed + " of " + (first + second) + " sends completed after the pauses");
        }
        return CheckResult.pass("PAUSE 0x" + hex(FULL_QUANTA) + " at " + bps / 1_000_000 + " Mb/s held " + first
                + " sends for " + ms(held) + clock + " (expected " + ms(expected) + " = 65535 x 512 bit times, +- "
                + ms(tolerance) + "); behind a second PAUSE 0x" + hex(FULL_QUANTA) + " " + second + " sends left "
                + ms(resumed.get() - t1) + clock + " after PAUSE 0; " + completed + " of " + (first + second)
                + " sends completed");
    }

    /**
     * A PAUSE frame as 802.3 Annex 31B lays it out: 01:80:C2:00:00:01, the sender, EtherType 0x8808, opcode
     * 0x0001, pause_time, zeros to the 60-byte minimum.
     */
    static byte[] pause(int quanta) {
        byte[] f = new byte[60];
        System.arraycopy(PAUSE_ADDRESS.bytes(), 0, f, 0, 6);
        System.arraycopy(CheckContext.PEER.bytes(), 0, f, 6, 6);
        f[12] = (byte) (MAC_CONTROL >>> 8);
        f[13] = (byte) MAC_CONTROL;
        f[14] = (byte) (OPCODE_PAUSE >>> 8);
        f[15] = (byte) OPCODE_PAUSE;
        f[16] = (byte) (quanta >>> 8);
        f[17] = (byte) quanta;
        return f;
    }

    /** The time the first of the check's frames left, when one did and the wire knows when. */
    private static Optional<Long> firstLeft(List<SimulatedWire.Transmitted> out) {
        return ours(out).stream().map(SimulatedWire.Transmitted::nanos).filter(t -> t >= 0).min(Long::compare);
    }

    private static List<SimulatedWire.Transmitted> ours(List<SimulatedWire.Transmitted> out) {
        return out.stream().filter(t -> Frames.seq(t.frame()) >= 40_000 && Frames.seq(t.frame()) < 42_000).toList();
    }

    private static long nanos(long bits, long bitsPerSecond) {
        return bits * 1_000_000_000L / bitsPerSecond;
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }

    private static String hex(int v) {
        return Integer.toHexString(v).toUpperCase(Locale.ROOT);
    }
}
