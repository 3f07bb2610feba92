package io.nicup.mock.intel;

import java.util.Arrays;
import java.util.EnumSet;

/**
 * The transmit engine of the Intel models (QEMU e1000e_start_xmit, igb_start_xmit): walks a queue's
 * ring from head to tail, gathers each frame from its data descriptors, pads it with TCTL.PSP, counts
 * it, and sends it to the wire or, in loopback, into the receive engine. The chip supplies its
 * descriptor format, its queue enables and its write-back and interrupt causes through {@link Chip}.
 */
public final class IntelTransmitter {

    /** Shortest frame on the wire without FCS; TCTL.PSP pads to it. */
    public static final int MIN_FRAME = 60;

    /** What a chip tells the transmit engine. */
    public interface Chip {

        /** The ring registers of queue {@code q}. */
        RingRegisters txRing(int q);

        /** Whether queue {@code q} may run beyond TCTL.EN (the 82576's TXDCTL.ENABLE). */
        boolean queueEnabled(int q);

        /** Whether the descriptor is an offload context descriptor, which carries no data. */
        boolean contextDescriptor(int cmd);

        boolean endOfPacket(int cmd);

        boolean insertFcs(int cmd);

        /** The MAC loops frames back (RCTL.LBM as the chip decodes it). */
        boolean macLoopback(int rctl);

        /**
         * A descriptor was processed: write its status back if the chip does; returns what to signal
         * for it, in the chip's own encoding, which the engine ORs over the ring walk.
         */
        long descriptorDone(int q, long descriptor, int cmd, int status);

        /** The ring walk ended with the device still present: signal {@code done}, the ORed results. */
        void transmitDone(int q, long done);

        /** Sets DD in the descriptor at {@code descriptor}, whatever it holds (the tx-dd-unsubmitted fault). */
        void setDone(long descriptor);

        /** Reads the context descriptor at {@code descriptor} into {@code context} (the chip's own format). */
        void readContext(long descriptor, ChecksumOffload.Context context);

        /** The checksum options ({@link ChecksumOffload#POPTS_IXSM}, {@code POPTS_TXSM}) of a data descriptor. */
        int checksumOptions(int cmd, int status);

        /**
         * -1 unless the data descriptor asks for TCP segmentation (TSE; docs/hardware-reference.md B.17); then
         * the TCP payload bytes to segment (the 82574L's context PAYLEN, the 82576's data descriptor PAYLEN).
         */
        int segmentationPayload(int cmd, int status, ChecksumOffload.Context context);
    }

    /** How far past the ring's end the tx-head-out-of-range fault puts TDH. */
    public static final int HEAD_BEYOND_RING = 8;

    /** The rest of the device as the transmit engine sees it: the PHY, the receive path, the faults. */
    public interface Port {
        boolean phyLoopback();

        /** The carrier is there for the wire. */
        boolean carrier();

        /** A frame looped back in the MAC or PHY enters the receive path. */
        void looped(byte[] frame, int length);

        /** A frame left the MAC: the traffic-triggered faults advance. */
        void frameEvent();
    }

    private final IntelCore core;
    private final Chip chip;
    private final Port port;
    private final byte[][] buf;
    private final int[] len;
    private final boolean[] skip;
    /** Per queue: the last context descriptor read, and the POPTS of the frame being gathered. */
    private final ChecksumOffload.Context[] context;
    private final int[] popts;
    /** Per queue: the TCP payload the frame being gathered is to be segmented into, -1 for none. */
    private final int[] segmentPayload;
    private final TcpSegmentation segmentation = new TcpSegmentation();
    private final int maxFrame;
    /** The one-shot transmit faults that have fired. */
    private final EnumSet<IntelFault> fired = EnumSet.noneOf(IntelFault.class);
    /** Received PAUSE frames stop this transmitter (docs/hardware-reference.md B.14). */
    private final IntelPause pause;

    public IntelTransmitter(IntelCore core, Chip chip, Port port, int queues, int maxFrame) {
        this.core = core;
        this.chip = chip;
        this.port = port;
        this.buf = new byte[queues][];
        this.len = new int[queues];
        this.skip = new boolean[queues];
        this.context = new ChecksumOffload.Context[queues];
        for (int q = 0; q < queues; q++) {
            context[q] = new ChecksumOffload.Context();
        }
        this.popts = new int[queues];
        this.segmentPayload = new int[queues];
        this.maxFrame = maxFrame;
        this.pause = new IntelPause(core, this::startAll);
    }

    /** The flow control that pauses this transmitter. */
    public IntelPause pause() {
        return pause;
    }

    /** Drops the frames half gathered on every queue; a pause in force ends. */
    public void reset() {
        Arrays.fill(len, 0);
        Arrays.fill(skip, false);
        for (ChecksumOffload.Context c : context) {
            c.clear();                                       // a reset device holds no context
        }
        pause.reset();
    }

    /** Walks every queue's ring: what the end of a pause does. */
    private void startAll() {
        for (int q = 0; q < len.length; q++) {
            start(q);
        }
    }

    /** Drops the frame half gathered on queue {@code q}. */
    public void reset(int q) {
        len[q] = 0;
        skip[q] = false;
    }

    public void start(int q) {
        IntelLayout l = core.layout;
        int[] regs = core.regs;
        if (core.removed || core.inReset || (core.reg(l.tctl()) & l.tctlEn()) == 0 || !chip.queueEnabled(q)) {
            return;
        }
        if (!core.canDma()) {
            return;
        }
        RingRegisters ring = chip.txRing(q);
        if (ring.headOutsideRing(regs)) {
            core.count(IntelCounter.TX_HEAD_OUTSIDE_RING);  // its reads would go past TDLEN: not made
            return;
        }
        long done = 0;
        while (!core.txHung && !core.removed && !pause.paused() && !ring.empty(regs)) {
            long desc = ring.headDescriptor(regs);
            long buffer = core.dma.read64(desc, "tx-descriptor");
            int cmd = core.dma.read32(desc + 8, "tx-descriptor");
            int status = core.dma.read32(desc + 12, "tx-descriptor");
            process(q, desc, buffer, cmd, status);
            done |= chip.descriptorDone(q, desc, cmd, status);
            core.wroteBack(false, desc);
            ring.advance(regs);
            if (fire(IntelFault.TX_HEAD_OUT_OF_RANGE)) {
                ring.headPastEnd(regs, HEAD_BEYOND_RING);
                core.count(IntelCounter.TX_HEAD_OUTSIDE_RING);
                break;
            }
        }
        if (!core.removed && ring.tailInsideRing(regs) && fire(IntelFault.TX_DD_UNSUBMITTED)) {
            chip.setDone(ring.tailDescriptor(regs));        // the slot the driver keeps empty
            core.count(IntelCounter.UNSUBMITTED_WRITE_BACKS);
        }
        if (!core.removed) {
            chip.transmitDone(q, done);
        }
    }

    /** Whether the one-shot transmit {@code fault} is due (its count of frames reached); it is then spent. */
    private boolean fire(IntelFault fault) {
        if (fired.contains(fault) || !core.faults.transmittedSinceReset(fault)) {
            return false;
        }
        fired.add(fault);
        return true;
    }

    private void process(int q, long desc, long buffer, int cmd, int status) {
        if (chip.contextDescriptor(cmd)) {
            chip.readContext(desc, context[q]);
            return;
        }
        if (len[q] == 0 && !skip[q]) {
            popts[q] = chip.checksumOptions(cmd, status);   // POPTS count in a frame's first descriptor
            segmentPayload[q] = chip.segmentationPayload(cmd, status, context[q]);
        }
        int limit = segmentPayload[q] >= 0 ? Math.max(maxFrame, TcpSegmentation.MAX_GATHER) : maxFrame;
        if (buf[q] == null || buf[q].length < limit) {
            buf[q] = new byte[limit];                         // a segmentation gathers up to 64 KiB
        }
        int length = cmd & 0xFFFF;
        if (len[q] > 0 && core.has(IntelFault.TX_FIRST_BUFFER_ONLY)) {
            length = 0;                                      // the fault: the frame's later buffers add nothing
        }
        if (!skip[q]) {
            if (len[q] + length > limit) {
                skip[q] = true;
                core.count(IntelCounter.TX_OVERSIZE);
            } else if (length > 0 && !core.dma.read(buffer, buf[q], len[q], length, "tx-buffer")) {
                skip[q] = true;
                core.count(IntelCounter.TX_DMA_FAULT);
            } else {
                len[q] += length;
            }
        }
        if (chip.endOfPacket(cmd)) {
            if (!skip[q]) {
                send(q, cmd);
            }
            len[q] = 0;
            skip[q] = false;
        }
    }

    private void send(int q, int cmd) {
        byte[] frame = buf[q];
        int n = len[q];
        if (n < 14) {
            core.count(IntelCounter.TX_MALFORMED);
            return;
        }
        boolean skipChecksums = core.faults.transmittedSinceReset(IntelFault.TX_CSUM_SKIP);
        if (segmentPayload[q] >= 0) {
            segment(q, cmd, frame, n, skipChecksums ? 0 : popts[q]);
            return;
        }
        if (popts[q] != 0 && !skipChecksums) {
            ChecksumOffload.insert(frame, n, context[q], popts[q]);  // over the frame, before any padding
        }
        emit(cmd, frame, n);
    }

    /**
     * A TCP segmentation (docs/hardware-reference.md B.17): each segment leaves as a frame of its own, counted
     * as one in GPTC and the others; TSCTC counts the segmentation once its last segment went, TSCTFC one
     * whose context does not describe the frame (sent nothing).
     */
    private void segment(int q, int cmd, byte[] frame, int n, int options) {
        boolean badSequence = core.has(IntelFault.TSO_BAD_SEQ);
        if (segmentation.segment(frame, n, context[q], options, segmentPayload[q], badSequence,
                (s, length) -> emit(cmd, s, length))) {
            core.stats.segmentationSent();
        } else {
            core.count(IntelCounter.TX_SEGMENTATION_FAILED);
            core.stats.segmentationFailed();
        }
    }

    /** One frame to the MAC: padding, FCS, statistics, then the wire or the loopback. */
    private void emit(int cmd, byte[] frame, int length) {
        IntelLayout l = core.layout;
        int n = length;
        if (n < MIN_FRAME && (core.reg(l.tctl()) & l.tctlPsp()) != 0) {
            Arrays.fill(frame, n, MIN_FRAME, (byte) 0); // pad short packets (TCTL.PSP)
            n = MIN_FRAME;
        }
        if (!chip.insertFcs(cmd)) {
            core.count(IntelCounter.TX_WITHOUT_IFCS);
        }
        // QEMU e1000e/igb_on_tx_done_update_stats: octets and size bins include the FCS
        core.stats.transmitted(frame, n + 4);
        if (port.phyLoopback() || chip.macLoopback(core.reg(l.rctl()))) {
            port.looped(frame, n); // loopback feeds the receive path, not the wire
        } else if (core.linkUp() && port.carrier()) {
            core.wire.transmit(frame, n);
        } else {
            core.count(IntelCounter.TX_NO_LINK);
        }
        core.faults.transmitted();
        port.frameEvent();
    }
}
