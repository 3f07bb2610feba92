package io.nicup.cli;

import io.nicup.vfio.PciAddress;
import io.nicup.vfio.linux.DeviceBinder;
import java.time.Duration;

/**
 * {@code --bind}: the device on vfio-pci for one run only. When it is on another driver (or none), the run
 * binds it as {@code nicup bind} would (same refusals, the original driver recorded in the state
 * directory) and gives it back to that driver when the run ends: after success, an error, or SIGINT and
 * SIGTERM (the command's orderly teardown closes the session, which closes this). After a SIGKILL the
 * record stays, {@code nicup list} shows the device on vfio-pci, and {@code nicup unbind --restore} gives
 * it back. A device already on vfio-pci is left there.
 *
 * <p>The option is {@link BindOption}, mixed into the commands that open a device.
 */
final class RunBinding implements AutoCloseable {

    /** How long the original driver may take to claim the device again (a probe under emulation is slow). */
    static final Duration GIVE_BACK_TIMEOUT = Duration.ofSeconds(60);

    /** No binding: the device was named as it is, or is simulated. */
    static final RunBinding NONE = new RunBinding(null, null, null, null);

    private final Output output;
    private final DeviceBinder binder;
    private final PciAddress address;
    private final String previousDriver;
    private boolean givenBack;

    private RunBinding(Output output, DeviceBinder binder, PciAddress address, String previousDriver) {
        this.output = output;
        this.binder = binder;
        this.address = address;
        this.previousDriver = previousDriver;
    }

    /**
     * Binds {@code device} to vfio-pci when {@code wanted} and it is not there yet.
     *
     * @throws CliException USAGE for a simulated device; the binder's errors as {@code nicup bind} reports them
     */
    static RunBinding take(Output output, String device, boolean wanted) {
        if (!wanted) {
            return NONE;
        }
        if (DeviceOpener.isMock(device)) {
            throw new CliException(ExitCode.USAGE, "--bind is valid only for a PCI device: device=" + device,
                    "drop --bind: a simulated NIC needs no driver");
        }
        PciAddress address = PciAddress.parse(device);
        DeviceBinder binder = new DeviceBinder(output.environment().host().get());
        DeviceBinder.BindResult r = binder.bind(address, DeviceBinder.BindOptions.defaults());
        if (r.alreadyBound()) {
            return NONE;
        }
        String was = r.previousDriver().orElse("no driver");
        if (!output.quiet()) {
            output.err().println("nicup: " + address + " on vfio-pci for this run (was " + was + "), "
                    + r.groupDevice() + "; it goes back when the run ends");
            output.err().flush();
        }
        return new RunBinding(output, binder, address, was);
    }

    /** Gives the device back to its driver (once). Call after the device and its lock are closed. */
    @Override
    public void close() {
        if (binder == null || givenBack) {
            return;
        }
        givenBack = true;
        DeviceBinder.UnbindResult r = binder.unbind(address, true, GIVE_BACK_TIMEOUT);
        if (!output.quiet()) {
            output.err().println("nicup: " + address + " given back to " + r.driverNow().orElse("no driver")
                    + " (was " + previousDriver + " before this run)");
            output.err().flush();
        }
    }
}
