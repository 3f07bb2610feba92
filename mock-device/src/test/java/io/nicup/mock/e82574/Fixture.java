package io.nicup.mock.e82574;

import io.nicup.mock.MockDevices;
import io.nicup.mock.MockPciDevice;

/** A fresh device, its driver, and the test's handles. */
final class Fixture implements AutoCloseable {

    static final byte[] MAC = Frames.mac("02:00:00:00:00:01");

    final MockPciDevice dev;
    final MiniDriver drv;
    final E82574Model model;

    private Fixture(String spec) {
        dev = MockDevices.open(spec);
        drv = new MiniDriver(dev);
        model = dev.model(E82574Model.class);
    }

    /** {@code mock:82574L?mac=02:00:00:00:00:01} plus {@code extra} (e.g. "&fault=tx-hang"). */
    static Fixture open(String extra) {
        return new Fixture("mock:82574L?mac=02:00:00:00:00:01" + extra);
    }

    static Fixture open() {
        return open("");
    }

    /** Reset, bus master on, TX ring of {@code tx} and RX ring of {@code rx} descriptors with {@code rctl}. */
    Fixture up(int tx, int rx, int rctl) {
        drv.reset();
        dev.setBusMaster(true);
        drv.setupTx(tx);
        drv.setupRx(rx, rctl);
        return this;
    }

    Fixture up() {
        return up(16, 16, MiniDriver.RCTL_DEFAULT);
    }

    int reg(int offset) {
        return drv.read(offset);
    }

    @Override
    public void close() {
        dev.close();
    }
}
