package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.miniport.core.PacketBufferPool;
import io.nicup.ndis.miniport.core.SelfTestResult.Outcome;
import io.nicup.ndis.miniport.core.SelfTestResult;
import io.nicup.vfio.DeviceClock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The traffic part of the loopback self-test (Linux {@code e1000_run_loopback_test} and igb's copy of
 * it): {@value #BURSTS} bursts of {@value #FRAMES} frames of {@value #FRAME_SIZE} bytes (Linux's pattern:
 * 0xFF, second half 0xAA, markers 0xBE/0xAF, plus the frame number) submitted on an adapter's own TX ring
 * and polled back from its RX ring; every frame must come back byte for byte, in order. Putting the chip
 * into loopback, and out of it, is the family's: only the rings and the frames are the same.
 */
public final class LoopbackBursts {

    /** Frames per loopback burst and their size (Linux: bursts of 64 frames of 1024 bytes). */
    public static final int FRAMES = 32;
    public static final int BURSTS = 2;
    public static final int FRAME_SIZE = 1024;
    /** How long a burst may take to be written back, and to come back. */
    private static final long WAIT_NANOS = 500_000_000L;

    private final String name;
    private final TxDescriptorRing tx;
    private final RxDescriptorRing rx;
    private final PacketBufferPool frames;
    private final MacAddress destination;
    private final DeviceClock clock;

    /**
     * @param name the self-test's name, for the result
     * @param frames where the test frames are built (at least {@value #FRAMES} buffers of
     *     {@value #FRAME_SIZE} bytes)
     * @param destination the adapter's current address: the frames are sent to it
     */
    public LoopbackBursts(String name, TxDescriptorRing tx, RxDescriptorRing rx, PacketBufferPool frames,
            MacAddress destination, DeviceClock clock) {
        this.name = name;
        this.tx = tx;
        this.rx = rx;
        this.frames = frames;
        this.destination = destination;
        this.clock = clock;
    }

    /**
     * Sends the bursts with the chip already in loopback and its receiver on.
     *
     * @return PASS when every frame came back identical; FAIL naming the burst, the frame or the ring
     *     head on the first that did not (the rings are then left as they are: the reset after the test
     *     re-arms them)
     */
    public SelfTestResult run() {
        long[] iovas = new long[FRAMES];
        int[] lengths = new int[FRAMES];
        int[] tags = new int[FRAMES];
        int[] done = new int[FRAMES];
        int[] bufs = new int[FRAMES];
        int[] lens = new int[FRAMES];
        int[] flags = new int[FRAMES];
        int total = 0;
        for (int burst = 0; burst < BURSTS; burst++) {
            for (int i = 0; i < FRAMES; i++) {
                writeTestFrame(frames.segment(i), burst * FRAMES + i);
                iovas[i] = frames.iova(i);
                lengths[i] = FRAME_SIZE;
                tags[i] = i;
            }
            int queued = tx.submit(iovas, lengths, tags, 0, FRAMES);
            if (queued != FRAMES) {
                return new SelfTestResult(name, Outcome.FAIL, "TX ring took " + queued + " of " + FRAMES + " frames");
            }
            int sent = 0;
            long deadline = clock.nanoTime() + WAIT_NANOS;
            while (sent < FRAMES && clock.nanoTime() - deadline < 0) {
                sent += tx.clean(done, 0, FRAMES);
                if (sent < FRAMES) {
                    clock.sleepNanos(100_000L);
                }
            }
            if (sent < FRAMES) {
                while (tx.drain(done, 0, FRAMES) > 0) {
                    // abandoned: the reset after the test re-arms the ring
                }
                return new SelfTestResult(name, Outcome.FAIL, String.format("burst %d: %d of %d frames written back (TDH=%d)",
                        burst, sent, FRAMES, tx.hardwareHead()));
            }
            int got = 0;
            deadline = clock.nanoTime() + WAIT_NANOS;
            while (got < FRAMES && clock.nanoTime() - deadline < 0) {
                int n = rx.poll(bufs, lens, flags, 0, FRAMES - got);
                for (int i = 0; i < n; i++) {
                    int expected = burst * FRAMES + got + i;
                    String bad = checkTestFrame(rx.pool().segment(bufs[i]), lens[i], flags[i], expected);
                    if (bad != null) {
                        rx.refill(bufs, 0, n);
                        return new SelfTestResult(name, Outcome.FAIL, "frame " + expected + ": " + bad);
                    }
                }
                if (n > 0) {
                    rx.refill(bufs, 0, n);
                }
                got += n;
                if (got < FRAMES) {
                    clock.sleepNanos(100_000L);
                }
            }
            if (got < FRAMES) {
                return new SelfTestResult(name, Outcome.FAIL, String.format("burst %d: %d of %d frames came back (RDH=%d RDT=%d)",
                        burst, got, FRAMES, rx.hardwareHead(), rx.tail()));
            }
            total += got;
        }
        return new SelfTestResult(name, Outcome.PASS, total + " frames of " + FRAME_SIZE + " bytes came back identical");
    }

    private void writeTestFrame(MemorySegment s, int number) {
        int size = FRAME_SIZE;
        byte[] dst = destination.bytes();
        s.asSlice(0, size).fill((byte) 0xFF);
        MemorySegment.copy(dst, 0, s, ValueLayout.JAVA_BYTE, 0, MacAddress.LENGTH);
        s.asSlice(size / 2, size / 2 - 1).fill((byte) 0xAA);
        s.set(ValueLayout.JAVA_BYTE, size / 2 + 10, (byte) 0xBE);
        s.set(ValueLayout.JAVA_BYTE, size / 2 + 12, (byte) 0xAF);
        s.set(ValueLayout.JAVA_BYTE, 14, (byte) number);
    }

    private String checkTestFrame(MemorySegment s, int length, int flags, int number) {
        if (!RxDescriptorRing.isGood(flags)) {
            return String.format("descriptor fault flags=0x%X", flags);
        }
        if (length != FRAME_SIZE) {
            return "length " + length + ", expected " + FRAME_SIZE;
        }
        byte[] expected = new byte[FRAME_SIZE];
        MemorySegment e = MemorySegment.ofArray(expected);
        writeTestFrame(e, number);
        long mismatch = s.asSlice(0, length).mismatch(e);
        return mismatch < 0 ? null : "byte " + mismatch + " differs";
    }
}
