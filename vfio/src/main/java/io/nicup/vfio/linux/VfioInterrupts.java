package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.Interrupts;
import io.nicup.vfio.RemovalRequest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * The interrupts of a VFIO device. {@link #enable} creates one eventfd per vector (EFD_NONBLOCK|EFD_CLOEXEC)
 * and hands them to the kernel with {@code SET_IRQS DATA_EVENTFD|ACTION_TRIGGER}; the returned set waits
 * with {@code poll(2)} over the eventfds and reads them to consume the counts. INTx is level-triggered and
 * automasked by the kernel: {@link InterruptSet#acknowledge} unmasks it ({@code DATA_NONE|ACTION_UNMASK}).
 * Closing a set disables the index ({@code DATA_NONE|ACTION_TRIGGER}, count 0) and closes the eventfds.
 */
public final class VfioInterrupts implements Interrupts, AutoCloseable {

    private final VfioKernel kernel;
    private final int deviceFd;
    private final Map<Integer, IrqInfo> infos;
    private VfioInterruptSet armed;
    private RemovalRequest removalRequest = RemovalRequest.NONE;

    /** @param infos IRQ info per VFIO IRQ index (missing index = not offered) */
    public VfioInterrupts(VfioKernel kernel, int deviceFd, Map<Integer, IrqInfo> infos) {
        this.kernel = kernel;
        this.deviceFd = deviceFd;
        this.infos = Map.copyOf(infos);
    }

    static int index(InterruptMode mode) {
        return switch (mode) {
            case INTX -> VfioAbi.PCI_INTX_IRQ_INDEX;
            case MSI -> VfioAbi.PCI_MSI_IRQ_INDEX;
            case MSIX -> VfioAbi.PCI_MSIX_IRQ_INDEX;
        };
    }

    @Override
    public int maxVectors(InterruptMode mode) {
        IrqInfo i = infos.get(index(mode));
        return i == null || !i.eventfd() ? 0 : i.count();
    }

    @Override
    public synchronized InterruptSet enable(InterruptMode mode, int count) {
        if (armed != null && !armed.closed()) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "interrupts already armed: mode=" + armed.mode()
                    + " count=" + armed.count() + " requested=" + mode,
                    "close the armed interrupt set before arming another");
        }
        int max = maxVectors(mode);
        if (max == 0) {
            throw new DeviceAccessException(Reason.UNSUPPORTED, "device offers no " + mode + " interrupts",
                    "use another mode: " + describe());
        }
        if (count < 1 || count > max || count > 64) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT, "bad vector count: mode=" + mode + " count="
                    + count + " max=" + Math.min(max, 64), "ask for 1.." + Math.min(max, 64) + " vectors");
        }
        armed = new VfioInterruptSet(this, mode, count);
        return armed;
    }

    /**
     * Arms the device-request interrupt when the device offers it ({@code REQ} with an eventfd and count 1;
     * docs/hardware-reference.md A.10), so that the kernel can ask for the device back; it stays armed until
     * {@link #close()}. {@code onBus} says whether the function is still on the bus.
     */
    public synchronized RemovalRequest armRemovalRequest(BooleanSupplier onBus) {
        IrqInfo req = infos.get(VfioAbi.PCI_REQ_IRQ_INDEX);
        if (removalRequest == RemovalRequest.NONE && req != null && req.eventfd() && req.count() == 1) {
            removalRequest = new VfioRemovalRequest(kernel, deviceFd, onBus);
        }
        return removalRequest;
    }

    /** The device-request channel, {@link RemovalRequest#NONE} until armed or when the device has none. */
    public synchronized RemovalRequest removalRequest() {
        return removalRequest;
    }

    /** The modes offered and their counts ({@code "MSIX=5 MSI=1 INTX=1"}). */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (InterruptMode m : InterruptMode.values()) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(m).append('=').append(maxVectors(m));
        }
        return sb.toString();
    }

    synchronized void disarmed(VfioInterruptSet s) {
        if (armed == s) {
            armed = null;
        }
    }

    /** Closes the armed set, if any, then the device-request channel. */
    @Override
    public void close() {
        VfioInterruptSet s;
        RemovalRequest r;
        synchronized (this) {
            s = armed;
            r = removalRequest;
        }
        try {
            if (s != null) {
                s.close();
            }
        } finally {
            if (r instanceof VfioRemovalRequest v) {
                v.close();
            }
        }
    }

    /** One armed index. {@link #await} and {@link #poll} are for one thread at a time. */
    static final class VfioInterruptSet implements InterruptSet {

        private final VfioInterrupts owner;
        private final InterruptMode mode;
        private final int index;
        private final int count;
        private final int[] fds;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment callState;
        private final MemorySegment pollFds;
        private final MemorySegment counter;
        private final AtomicLongArray events;
        private volatile boolean closed;

        VfioInterruptSet(VfioInterrupts owner, InterruptMode mode, int count) {
            this.owner = owner;
            this.mode = mode;
            this.index = index(mode);
            this.count = count;
            this.fds = new int[count];
            this.events = new AtomicLongArray(count);
            this.callState = LibC.newCallState(arena);
            this.pollFds = arena.allocate(LibC.POLLFD, count);
            this.counter = arena.allocate(JAVA_LONG);
            int created = 0;
            try {
                for (; created < count; created++) {
                    int fd = LibC.eventfd(callState, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
                    if (fd < 0) {
                        throw VfioErrors.failure(NativeOp.EVENTFD, LibC.errno(callState), null,
                                "vector=" + created + " mode=" + mode);
                    }
                    fds[created] = fd;
                    long at = created * LibC.POLLFD.byteSize();
                    LibC.POLLFD_FD.set(pollFds, at, fd);
                    LibC.POLLFD_EVENTS.set(pollFds, at, LibC.POLLIN);
                }
                owner.kernel.setIrqs(owner.deviceFd, index,
                        VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER, 0, count, fds.clone());
            } catch (RuntimeException e) {
                for (int i = 0; i < created; i++) {
                    LibC.close(callState, fds[i]);
                }
                arena.close();
                throw e;
            }
        }

        boolean closed() {
            return closed;
        }

        /** The eventfd of a vector (for tests and for handing to another poller). */
        int eventfd(int vector) {
            return fds[vector];
        }

        @Override
        public InterruptMode mode() {
            return mode;
        }

        @Override
        public int count() {
            return count;
        }

        @Override
        public synchronized long await(long timeoutNanos) {
            checkOpen();
            long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
            while (true) {
                long remaining = deadline - System.nanoTime();
                int millis = remaining <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (remaining + 999_999) / 1_000_000);
                int r = LibC.poll(callState, pollFds, count, millis);
                if (r < 0) {
                    int errno = LibC.errno(callState);
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw VfioErrors.failure(NativeOp.POLL, errno, null, "mode=" + mode + " count=" + count);
                }
                if (r > 0) {
                    long fired = drain();
                    if (fired != 0) {
                        return fired;
                    }
                }
                if (millis == 0) {
                    return 0;
                }
            }
        }

        @Override
        public synchronized long poll() {
            return await(0);
        }

        /** Reads the counter of every ready eventfd; returns the vectors that had events. */
        private long drain() {
            long mask = 0;
            for (int i = 0; i < count; i++) {
                long at = i * LibC.POLLFD.byteSize();
                short revents = (short) LibC.POLLFD_REVENTS.get(pollFds, at);
                if ((revents & (LibC.POLLIN | LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) == 0) {
                    continue;
                }
                if ((revents & LibC.POLLNVAL) != 0) {
                    throw VfioErrors.failure(NativeOp.POLL, Errno.EBADF, null, "vector=" + i + " fd=" + fds[i]);
                }
                long n = LibC.read(callState, fds[i], counter);
                if (n == 8) {
                    long value = counter.get(JAVA_LONG, 0);
                    events.addAndGet(i, value);
                    mask |= 1L << i;
                } else if (n < 0 && LibC.errno(callState) != Errno.EAGAIN) {
                    throw VfioErrors.failure(NativeOp.READ, LibC.errno(callState), null,
                            "eventfd vector=" + i + " fd=" + fds[i]);
                }
            }
            return mask;
        }

        @Override
        public void acknowledge(int vector) {
            checkOpen();
            if (vector < 0 || vector >= count) {
                throw new IllegalArgumentException("vector=" + vector + " count=" + count);
            }
            if (mode == InterruptMode.INTX) {
                owner.kernel.setIrqs(owner.deviceFd, index, VfioAbi.IRQ_SET_DATA_NONE | VfioAbi.IRQ_SET_ACTION_UNMASK,
                        vector, 1, null);
            }
        }

        @Override
        public long events(int vector) {
            return events.get(vector);
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("interrupt set closed: mode=" + mode);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            RuntimeException first = null;
            try {
                owner.kernel.setIrqs(owner.deviceFd, index, VfioAbi.IRQ_SET_DATA_NONE | VfioAbi.IRQ_SET_ACTION_TRIGGER,
                        0, 0, null);
            } catch (RuntimeException e) {
                first = e;
            }
            for (int fd : fds) {
                if (LibC.close(callState, fd) != 0 && first == null) {
                    first = VfioErrors.failure(NativeOp.CLOSE, LibC.errno(callState), null, "eventfd fd=" + fd);
                }
            }
            arena.close();
            owner.disarmed(this);
            if (first != null) {
                throw first;
            }
        }
    }
}
