package io.nicup.mock;

import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.DeviceAccessException.Reason;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import io.nicup.vfio.Interrupts;

/**
 * The interrupt plumbing between a simulated device and the driver, standing in for vfio-pci's
 * eventfds.
 *
 * <p>Driver side: {@link #enable} arms vectors and sets the MSI/MSI-X enable bit in config space as
 * vfio-pci does; the returned {@link InterruptSet} collects fired vectors as a bit mask, and its
 * {@code await} advances the {@link VirtualClock} until a vector fires.
 *
 * <p>Device side: the model signals {@link #msixNotify}, {@link #msiNotify} or drives the INTx line
 * level with {@link #setIntxLevel}; which of them applies follows the config-space enable bits
 * ({@link #activeMode()}), as in QEMU ({@code msix_enabled}/{@code msi_enabled}). A vector with no armed
 * set (or beyond the armed count) is lost, as it is without an eventfd. INTx is level-triggered and
 * auto-masked: it fires when the line is high and unmasked, then stays masked until
 * {@link InterruptSet#acknowledge}; if the line is still high then, it fires again.
 */
public final class MockInterrupts implements Interrupts {

    private final VirtualClock clock;
    private final MockConfigSpace config;
    private final int msixVectors;
    private final int msiVectors;
    private final boolean intx;
    private Runnable modeListener = () -> { };
    private ArmedSet armed;
    private boolean intxLevel;
    private long lostSignals;
    /** MSI-X is offered (capability, table, maxVectors) but arming it fails, as vfio-pci's enable can. */
    private boolean msixRefused;

    public MockInterrupts(VirtualClock clock, MockConfigSpace config, int msixVectors, int msiVectors,
            boolean intx) {
        this.clock = clock;
        this.config = config;
        this.msixVectors = msixVectors;
        this.msiVectors = msiVectors;
        this.intx = intx;
    }

    /** Called after a set was armed or closed, so the device can re-evaluate what it signals. */
    public void setModeListener(Runnable modeListener) {
        this.modeListener = modeListener;
    }

    /**
     * From now on {@link #enable} refuses MSI-X although {@link #maxVectors} still offers it: what a host
     * whose VFIO_DEVICE_SET_IRQS fails for MSI-X does to a driver that planned on the vectors.
     */
    public void refuseMsix() {
        msixRefused = true;
    }

    @Override
    public int maxVectors(InterruptMode mode) {
        return switch (mode) {
            case MSIX -> msixVectors;
            case MSI -> msiVectors;
            case INTX -> intx ? 1 : 0;
        };
    }

    @Override
    public InterruptSet enable(InterruptMode mode, int count) {
        int max = maxVectors(mode);
        if (max == 0) {
            throw new DeviceAccessException(Reason.UNSUPPORTED, "device has no " + mode + " interrupts",
                    "use one of the modes the device offers (maxVectors > 0)");
        }
        if (mode == InterruptMode.MSIX && msixRefused) {
            throw new DeviceAccessException(Reason.UNSUPPORTED, "MSI-X refused when armed: count=" + count,
                    "use MSI or INTx (InterruptMode=2 or 3)");
        }
        if (armed != null) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "interrupts already armed: mode=" + armed.mode + " count=" + armed.count + " requested=" + mode,
                    "close the previous InterruptSet before arming another");
        }
        if (count < 1 || count > max) {
            throw new DeviceAccessException(Reason.INVALID_ARGUMENT,
                    "vector count out of range: mode=" + mode + " count=" + count + " max=" + max,
                    "ask for 1.." + max + " vectors");
        }
        ArmedSet set = new ArmedSet(mode, count);
        armed = set;
        switch (mode) {
            case MSIX -> config.setMsixEnabled(true);
            case MSI -> config.setMsiEnabled(true, count);
            case INTX -> { }
        }
        modeListener.run();
        return set;
    }

    // ------------------------------------------------------------------ device side

    /** What the device should signal, from the config-space enable bits. */
    public InterruptMode activeMode() {
        if (config.msixEnabled()) {
            return InterruptMode.MSIX;
        }
        if (config.msiEnabled()) {
            return InterruptMode.MSI;
        }
        return InterruptMode.INTX;
    }

    public void msixNotify(int vector) {
        signal(InterruptMode.MSIX, vector);
    }

    public void msiNotify() {
        signal(InterruptMode.MSI, 0);
    }

    /** Drives the INTx line; it fires on an unmasked high level. */
    public void setIntxLevel(boolean high) {
        intxLevel = high;
        if (high && !config.intxDisabled() && armed != null && armed.mode == InterruptMode.INTX && !armed.intxMasked) {
            armed.intxMasked = true;
            armed.fire(0);
        }
    }

    public boolean intxLevel() {
        return intxLevel;
    }

    /** Signals that reached no armed vector. */
    public long lostSignals() {
        return lostSignals;
    }

    /** The armed set, if any (for the device's close). */
    public InterruptSet armed() {
        return armed;
    }

    private void signal(InterruptMode mode, int vector) {
        ArmedSet set = armed;
        if (set == null || set.mode != mode || vector >= set.count) {
            lostSignals++;
            return;
        }
        set.fire(vector);
    }

    private final class ArmedSet implements InterruptSet {
        final InterruptMode mode;
        final int count;
        final long[] events;
        long pending;
        boolean intxMasked;
        boolean closed;

        ArmedSet(InterruptMode mode, int count) {
            this.mode = mode;
            this.count = count;
            this.events = new long[count];
        }

        void fire(int vector) {
            pending |= 1L << vector;
            events[vector]++;
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
        public long await(long timeoutNanos) {
            checkOpen();
            if (pending == 0 && timeoutNanos > 0) {
                clock.runUntil(VirtualClock.saturatingAdd(clock.nanoTime(), timeoutNanos), () -> pending != 0);
            }
            return poll();
        }

        @Override
        public long poll() {
            checkOpen();
            long p = pending;
            pending = 0;
            return p;
        }

        @Override
        public void acknowledge(int vector) {
            checkOpen();
            if (vector < 0 || vector >= count) {
                throw new IllegalArgumentException("no such vector: vector=" + vector + " count=" + count);
            }
            if (mode == InterruptMode.INTX && intxMasked) {
                intxMasked = false;
                setIntxLevel(intxLevel);
            }
        }

        @Override
        public long events(int vector) {
            return events[vector];
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (armed == this) {
                armed = null;
                switch (mode) {
                    case MSIX -> config.setMsixEnabled(false);
                    case MSI -> config.setMsiEnabled(false, 0);
                    case INTX -> { }
                }
                modeListener.run();
            }
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException("interrupt set closed: mode=" + mode);
            }
        }
    }
}
