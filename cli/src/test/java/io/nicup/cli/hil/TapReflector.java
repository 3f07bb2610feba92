package io.nicup.cli.hil;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The far end of the cable of run-guest's {@code --tap} NIC (docs/hardware-reference.md D.7): attaches to the
 * reflector tap R on the run's bridge and writes every frame it reads back, so that it reaches the guest again
 * through the bridge (which floods it: learning is off). Every frame read goes to a classic pcap for tshark.
 *
 * <p>R is attached with IFF_VNET_HDR but TUNSETOFFLOAD is never called: the tap then announces no checksum or
 * segmentation offload to the host kernel, which completes every checksum and cuts every large send into
 * segments before the frame is queued to R (validate_xmit_skb), as for any device without offloads. Each
 * frame's virtio-net header is read to prove it: a header with NEEDS_CSUM or a GSO type is counted in
 * {@link #unfinished()}, which must stay 0.
 *
 * <p>On the way back a frame whose TCP or UDP checksum (and IPv4 header checksum) is right goes with NEEDS_CSUM,
 * csum_start and csum_offset, its checksum field holding the pseudo-header sum: what virtio 1.2 section 5.1.6.4 says a
 * device does with a frame it validated. The kernel keeps that as CHECKSUM_PARTIAL across the bridge and the
 * guest's tap hands it to QEMU as NEEDS_CSUM. A frame with a wrong checksum goes back without a flag. DATA_VALID
 * cannot be used: a tap's writer cannot pass it on (virtio_net_hdr_to_skb takes only NEEDS_CSUM and the GSO
 * fields), so without this no receive verdict could ever reach the driver (docs/hardware-reference.md D.7).
 */
final class TapReflector implements AutoCloseable {

    private static final int O_RDWR = 2;
    private static final int O_NONBLOCK = 0x800;
    /** _IOW('T', 202, int), linux/if_tun.h. */
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TAP = 0x0002;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_VNET_HDR = 0x4000;
    private static final short POLLIN = 1;
    private static final int EAGAIN = 11;
    /** struct virtio_net_hdr (the tap's default header size, 10 bytes): flags, gso_type, ... */
    private static final int VNET_HDR = 10;
    private static final int NEEDS_CSUM = 1;
    private static final int MAX_FRAME = 65536 + VNET_HDR;

    /**
     * {@snippet lang=c :
     * struct ifreq { char ifr_name[IFNAMSIZ]; union { short ifr_flags; ... } ifr_ifru; };   // 40 bytes
     * }
     */
    private static final StructLayout IFREQ = MemoryLayout.structLayout(
            MemoryLayout.sequenceLayout(16, ValueLayout.JAVA_BYTE).withName("ifr_name"),
            ValueLayout.JAVA_SHORT.withName("ifr_flags"),
            MemoryLayout.paddingLayout(22));
    private static final VarHandle IFR_FLAGS = IFREQ.varHandle(
            MemoryLayout.PathElement.groupElement("ifr_flags"));

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(
            MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), ERRNO_OPT);
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            ERRNO_OPT, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = downcall("poll",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            ERRNO_OPT);
    private static final MethodHandle READ = downcall("read",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            ERRNO_OPT);
    private static final MethodHandle WRITE = downcall("write",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            ERRNO_OPT);
    private static final MethodHandle CLOSE = downcall("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = arena.allocate(CAPTURE);
    private final MemorySegment buf = arena.allocate(MAX_FRAME);
    private final MemorySegment pollfd = arena.allocate(8);
    private final String tap;
    private final int fd;
    private final OutputStream pcap;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread thread;
    private volatile long reflected;
    private volatile long unfinished;
    private volatile long validated;
    private volatile String error = "";

    private TapReflector(String tap, int fd, OutputStream pcap) {
        this.tap = tap;
        this.fd = fd;
        this.pcap = pcap;
        this.thread = Thread.ofPlatform().name("tap-reflector-" + tap).daemon().unstarted(this::run);
    }

    /** Attaches to the existing tap {@code tap} (run-guest made it) and starts reflecting; frames go to {@code pcapFile}. */
    static TapReflector start(String tap, Path pcapFile) throws IOException {
        int fd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(CAPTURE);
            fd = (int) OPEN.invokeExact(err, a.allocateFrom("/dev/net/tun"), O_RDWR | O_NONBLOCK);
            if (fd < 0) {
                throw new IOException("open /dev/net/tun failed: errno=" + (int) ERRNO.get(err, 0L)
                        + " (the suite needs root and /dev/net/tun)");
            }
            MemorySegment ifr = a.allocate(IFREQ);
            byte[] name = tap.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(name, 0, ifr, ValueLayout.JAVA_BYTE, 0, Math.min(name.length, 15));
            IFR_FLAGS.set(ifr, 0L, (short) (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR));
            int rc = (int) IOCTL.invokeExact(err, fd, TUNSETIFF, ifr);
            if (rc < 0) {
                int e = (int) ERRNO.get(err, 0L);
                int ignored = (int) CLOSE.invokeExact(fd);
                throw new IOException("TUNSETIFF tap=" + tap + " failed: errno=" + e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("tap " + tap + ": " + t, t);
        }
        OutputStream out = Files.newOutputStream(pcapFile);
        out.write(pcapHeader());
        TapReflector r = new TapReflector(tap, fd, out);
        r.thread.start();
        return r;
    }

    /**
     * By hand, next to a run-guest {@code --tap} guest: {@code java --enable-native-access=ALL-UNNAMED -cp
     * cli/target/test-classes io.nicup.cli.hil.TapReflector TAP FILE.pcap} reflects until killed.
     */
    public static void main(String[] args) throws Exception {
        try (TapReflector r = start(args[0], Path.of(args[1]))) {
            while (r.thread.isAlive()) {
                Thread.sleep(5000);
                System.out.println(r.summary());
                r.pcap.flush();
            }
        }
    }

    /** Frames written back. */
    long reflected() {
        return reflected;
    }

    /** Frames the kernel queued to the tap with a checksum still to complete or still to segment: must be 0. */
    long unfinished() {
        return unfinished;
    }

    /** What it did, for the test's messages. */
    String summary() {
        return "tap " + tap + ": reflected " + reflected + " frames (" + validated + " with a right TCP/UDP checksum"
                + " handed back with NEEDS_CSUM), " + unfinished + " queued with a checksum or segmentation left undone"
                + (error.isEmpty() ? "" : "; stopped: " + error);
    }

    private void run() {
        pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
        try {
            while (!stop.get()) {
                int ready = (int) POLL.invokeExact(errno, pollfd, 1L, 100);
                if (ready <= 0) {
                    continue;
                }
                long n = (long) READ.invokeExact(errno, fd, buf, (long) MAX_FRAME);
                if (n < 0) {
                    int e = (int) ERRNO.get(errno, 0L);
                    if (e == EAGAIN) {
                        continue;
                    }
                    error = "read errno=" + e;
                    return;
                }
                if (n <= VNET_HDR) {
                    continue;
                }
                reflect((int) n);
            }
        } catch (Throwable t) {
            error = t.toString();
        }
    }

    private void reflect(int n) throws Throwable {
        int flags = buf.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
        int gsoType = buf.get(ValueLayout.JAVA_BYTE, 1) & 0xFF;
        if ((flags & NEEDS_CSUM) != 0 || gsoType != 0) {
            unfinished++;
        }
        byte[] frame = buf.asSlice(VNET_HDR, n - VNET_HDR).toArray(ValueLayout.JAVA_BYTE);
        writeRecord(frame);
        TransportChecksum.Partial p = TransportChecksum.validated(frame);
        buf.asSlice(0, VNET_HDR).fill((byte) 0);
        if (p != null) {
            // struct virtio_net_hdr: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset (host order: the
            // tap's headers are native-endian unless TUNSETVNETLE/BE said otherwise)
            buf.set(ValueLayout.JAVA_BYTE, 0, (byte) NEEDS_CSUM);
            buf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 2, (short) (p.start() + p.offset() + 2));
            buf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 6, (short) p.start());
            buf.set(ValueLayout.JAVA_SHORT_UNALIGNED, 8, (short) p.offset());
            long field = VNET_HDR + p.start() + p.offset();
            buf.set(ValueLayout.JAVA_BYTE, field, (byte) (p.pseudoHeaderSum() >>> 8));
            buf.set(ValueLayout.JAVA_BYTE, field + 1, (byte) p.pseudoHeaderSum());
            validated++;
        }
        long w = (long) WRITE.invokeExact(errno, fd, buf, (long) n);
        if (w == n) {
            reflected++;
        }
    }

    private void writeRecord(byte[] frame) throws IOException {
        long micros = System.currentTimeMillis() * 1000L;
        ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt((int) (micros / 1_000_000L)).putInt((int) (micros % 1_000_000L)).putInt(frame.length).putInt(frame.length);
        pcap.write(h.array());
        pcap.write(frame);
    }

    private static byte[] pcapHeader() {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        return h.array();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;                                        // once: the fd number may already be someone else's
        }
        stop.set(true);
        try {
            thread.join(2000);
            pcap.close();
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            throw new IllegalStateException("close tap " + tap, t);
        } finally {
            if (!thread.isAlive()) {
                arena.close();
            }
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name)), fd, options);
    }
}
