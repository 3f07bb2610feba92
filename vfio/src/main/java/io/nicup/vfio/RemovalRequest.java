package io.nicup.vfio;

/**
 * The bus asking for the device back while the driver still holds it: a hot-unplug (the slot's attention
 * button, QEMU's {@code device_del}) or an unbind makes the kernel call the owning driver's remove, and
 * vfio-pci then waits until userspace lets go, signalling it through the device-request interrupt
 * (docs/hardware-reference.md A.10). The device is still present and answers while the kernel waits; what
 * the driver owes it is an orderly stop and the release of every handle, soon.
 *
 * <p>A device with no such channel never asks ({@link #NONE}). The simulated devices raise it from a test
 * hook or a fault.
 */
public interface RemovalRequest {

    /** A device that cannot ask: nothing is ever requested and it stays on the bus. */
    RemovalRequest NONE = new RemovalRequest() {
        @Override
        public boolean offered() {
            return false;
        }

        @Override
        public boolean requested() {
            return false;
        }

        @Override
        public void onRequest(Runnable listener) {
            // never asked
        }

        @Override
        public boolean onBus() {
            return true;
        }
    };

    /** Whether the device has a request channel (vfio-pci: {@code VFIO_PCI_REQ_IRQ_INDEX} with count 1). */
    boolean offered();

    /** Whether the kernel has asked for the device back; once true it stays true. Never blocks. */
    boolean requested();

    /**
     * Runs {@code listener} once when the request arrives, on the thread that sees it (at once on the
     * caller's when it already has). It must only set flags: the teardown runs on the driver's own thread.
     */
    void onRequest(Runnable listener);

    /**
     * Whether the function is still on the bus (vfio: its {@code /sys/bus/pci/devices} entry exists). After a
     * request and the release of the device, the kernel finishes its remove and this turns false.
     */
    boolean onBus();
}
