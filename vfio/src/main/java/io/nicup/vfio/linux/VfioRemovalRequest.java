package io.nicup.vfio.linux;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.nicup.vfio.RemovalRequest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The device-request interrupt of a vfio-pci device (docs/hardware-reference.md A.10): one eventfd handed to
 * the kernel with {@code SET_IRQS} on {@code VFIO_PCI_REQ_IRQ_INDEX} ({@code DATA_EVENTFD|ACTION_TRIGGER},
 * start 0, count 1). The kernel signals it when something wants the device back and vfio-pci's remove waits
 * for this process to close the device, signalling again every 10 s. A waiter thread blocks in
 * {@code poll(2)} on that eventfd and a second one that {@link #close()} writes to wake it; the first
 * request latches {@link #requested()} and runs the listeners once.
 *
 * <p>{@link #close()} stops the waiter, takes the eventfd back from the kernel ({@code DATA_NONE|ACTION_TRIGGER},
 * count 0) and closes both eventfds.
 */
final class VfioRemovalRequest implements RemovalRequest, AutoCloseable {

    private final VfioKernel kernel;
    private final int deviceFd;
    private final BooleanSupplier onBus;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment waiterState;
    private final MemorySegment closerState;
    private final MemorySegment pollFds;
    private final MemorySegment counter;
    private final int requestFd;
    private final int wakeFd;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Thread waiter;
    private volatile boolean requested;
    private volatile long signals;
    private boolean closed;

    /** Arms the request channel; {@code onBus} says whether the function is still on the bus. */
    VfioRemovalRequest(VfioKernel kernel, int deviceFd, BooleanSupplier onBus) {
        this.kernel = kernel;
        this.deviceFd = deviceFd;
        this.onBus = onBus;
        this.waiterState = LibC.newCallState(arena);
        this.closerState = LibC.newCallState(arena);
        this.pollFds = arena.allocate(LibC.POLLFD, 2);
        this.counter = arena.allocate(JAVA_LONG);
        int req = -1;
        int wake = -1;
        try {
            req = eventfd("request");
            wake = eventfd("wake");
            kernel.setIrqs(deviceFd, VfioAbi.PCI_REQ_IRQ_INDEX,
                    VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER, 0, 1, new int[] {req});
        } catch (RuntimeException e) {
            closeQuietly(req);
            closeQuietly(wake);
            arena.close();
            throw e;
        }
        this.requestFd = req;
        this.wakeFd = wake;
        LibC.POLLFD_FD.set(pollFds, 0L, requestFd);
        LibC.POLLFD_EVENTS.set(pollFds, 0L, LibC.POLLIN);
        LibC.POLLFD_FD.set(pollFds, LibC.POLLFD.byteSize(), wakeFd);
        LibC.POLLFD_EVENTS.set(pollFds, LibC.POLLFD.byteSize(), LibC.POLLIN);
        this.waiter = Thread.ofPlatform().daemon().name("vfio-request-" + deviceFd).start(this::await);
    }

    private int eventfd(String what) {
        int fd = LibC.eventfd(closerState, 0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        if (fd < 0) {
            throw VfioErrors.failure(NativeOp.EVENTFD, LibC.errno(closerState), null, "irq=REQ eventfd=" + what);
        }
        return fd;
    }

    private void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(closerState, fd);
        }
    }

    /** The waiter: until woken by close, every signal of the request eventfd is consumed and counted. */
    private void await() {
        while (true) {
            int r = LibC.poll(waiterState, pollFds, 2, -1);
            if (r < 0) {
                if (LibC.errno(waiterState) == Errno.EINTR) {
                    continue;
                }
                return;                                      // nothing to wait on any more: close() follows
            }
            short wake = (short) LibC.POLLFD_REVENTS.get(pollFds, LibC.POLLFD.byteSize());
            if (wake != 0) {
                return;
            }
            short req = (short) LibC.POLLFD_REVENTS.get(pollFds, 0L);
            if ((req & LibC.POLLIN) != 0 && LibC.read(waiterState, requestFd, counter) == 8) {
                signals += counter.get(JAVA_LONG, 0);
                fire();
            } else if ((req & (LibC.POLLERR | LibC.POLLHUP | LibC.POLLNVAL)) != 0) {
                return;
            }
        }
    }

    private void fire() {
        if (requested) {
            return;                                          // the kernel's reminder every 10 s
        }
        requested = true;
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /** The eventfd the kernel signals (for tests, which play the kernel). */
    int eventfd() {
        return requestFd;
    }

    /** How many times the kernel signalled the request (it repeats it every 10 s while it waits). */
    long signals() {
        return signals;
    }

    @Override
    public boolean offered() {
        return true;
    }

    @Override
    public boolean requested() {
        return requested;
    }

    @Override
    public void onRequest(Runnable listener) {
        listeners.add(listener);
        if (requested) {
            listeners.remove(listener);
            listener.run();
        }
    }

    @Override
    public boolean onBus() {
        return onBus.getAsBoolean();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment one = a.allocate(JAVA_LONG);
            one.set(JAVA_LONG, 0, 1);
            if (LibC.write(closerState, wakeFd, one) != 8) {
                first = VfioErrors.failure(NativeOp.WRITE, LibC.errno(closerState), null, "irq=REQ eventfd=wake");
            }
        }
        try {
            waiter.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            kernel.setIrqs(deviceFd, VfioAbi.PCI_REQ_IRQ_INDEX, VfioAbi.IRQ_SET_DATA_NONE | VfioAbi.IRQ_SET_ACTION_TRIGGER,
                    0, 0, null);
        } catch (RuntimeException e) {
            if (first == null) {
                first = e;
            }
        }
        for (int fd : new int[] {requestFd, wakeFd}) {
            if (LibC.close(closerState, fd) != 0 && first == null) {
                first = VfioErrors.failure(NativeOp.CLOSE, LibC.errno(closerState), null, "irq=REQ fd=" + fd);
            }
        }
        if (!waiter.isAlive()) {
            arena.close();                                   // the waiter's poll set lives here
        }
        if (first != null) {
            throw first;
        }
    }
}
