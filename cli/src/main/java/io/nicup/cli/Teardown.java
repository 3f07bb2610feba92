package io.nicup.cli;

import io.nicup.ndis.NdisHost;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.HaltAction;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.driver.LoadedDriver;
import io.nicup.ndis.miniport.core.NicDriver;
import java.time.Duration;

/**
 * The orderly end of a {@link Session}'s driver: Pause (if Running), Halt (if live), Unload (if loaded),
 * each step once, in order, traced; before them the removal the PnP manager would run for a device that
 * left, and the failure the user must hear for it ({@link #removal()}).
 *
 * <p>Not safe on its own across threads: the session calls it only under its own monitor, the lock that
 * {@code close()} and {@code removal()} take, so a command never reads a removal the teardown is still
 * writing.
 */
final class Teardown {

    private final String spec;
    private final NdisHost host;
    private final LoadedDriver loaded;
    private final NicDriver driver;
    private final DevicePresence presence;
    private boolean tornDown;
    /** The surprise removal the teardown found, or null (see {@link #removal()}). */
    private CliException removal;
    /** The run takes the device off the bus itself (conformance --remove-command): its request is no failure. */
    private boolean removalExpected;

    Teardown(String spec, NdisHost host, LoadedDriver loaded, NicDriver driver, DevicePresence presence) {
        this.spec = spec;
        this.host = host;
        this.loaded = loaded;
        this.driver = driver;
        this.presence = presence;
    }

    /** This run asks for the device's removal itself: the kernel's request then ends no command with exit 8. */
    void expectRemoval() {
        removalExpected = true;
    }

    /** The removal (or failed device) the teardown found, or null. */
    CliException removal() {
        return removal;
    }

    /**
     * Tears {@code adapter} (null when none was added) and the driver down, once; {@code whilePaused}
     * runs inside the removal of a device the kernel asked back, once its pause has completed every send.
     */
    void run(MiniportAdapter adapter, Runnable whilePaused) {
        if (tornDown) {
            return;
        }
        tornDown = true;
        noteDeviceFailure(adapter);
        if (adapter != null && adapter.state().isLive() && presence.takenBack() && !presence.readsAllOnes()) {
            // The PnP remove of a present device: Pause, then MiniportHaltEx(NdisHaltDeviceDisabled); the
            // close below releases DMA, interrupts and the device fd, which the kernel's remove waits on.
            try {
                host.removeDevice(adapter, whilePaused);
            } finally {
                removal = takenBackError("adapter halted with NdisHaltDeviceDisabled, device released");
            }
        }
        if (adapter != null && adapter.state().isLive() && presence.deviceGone()) {
            // What the PnP manager does when the bus loses a device: MiniportDevicePnPEventNotify
            // (SurpriseRemoved), then Pause and MiniportHaltEx(NdisHaltDeviceSurpriseRemoved).
            try {
                host.surpriseRemove(adapter);
            } finally {
                removal = new CliException(ExitCode.HARDWARE, "device removed: it reads all-ones: spec=" + spec
                        + " vendor_id=0xffff (surprise removal): adapter halted with NdisHaltDeviceSurpriseRemoved",
                        "the device is gone (surprise removal, powered off or hung): check `nicup list` and the"
                        + " kernel log, then rescan or reseat it");
            }
        }
        if (presence.takenBack() && removal == null && !removalExpected) {
            removal = takenBackError("device released");      // no adapter was up: nothing else to stop
        }
        try {
            if (adapter != null && adapter.state() == AdapterState.RUNNING) {
                host.pause(adapter);
                host.awaitState(adapter, AdapterState.PAUSED, Duration.ofSeconds(5));
            }
        } finally {
            try {
                if (adapter != null && adapter.state().isLive()) {
                    host.halt(adapter, HaltAction.NdisHaltDeviceDisabled);
                }
            } finally {
                if (loaded.phase() == LoadedDriver.Phase.LOADED) {
                    host.unloadDriver(loaded);
                }
            }
        }
    }

    /** What the user hears when the kernel took the device back: exit 8, as for any device that left. */
    private CliException takenBackError(String what) {
        return new CliException(ExitCode.HARDWARE, "device removed: the kernel asked for it back (hot-unplug or"
                + " unbind): spec=" + spec + " " + what, "the device left nicup's hands: check `nicup list` and the"
                + " kernel log; rescan the bus or bind it again to use it");
    }

    /**
     * A device that is still there but that the driver gave up on: a MiniportResetEx (after CheckForHang
     * found the rings inconsistent or the transmitter hung) that did not bring it back. Read before the
     * halt, which records its own reason; raised like a removal (see {@link #removal()}).
     */
    private void noteDeviceFailure(MiniportAdapter adapter) {
        if (adapter == null || !adapter.state().isLive() || removal != null || presence.deviceGone()) {
            return;
        }
        driver.initFailure(adapter).filter(f -> f.step().equals("reset")).ifPresent(f -> removal = new CliException(
                ExitCode.HARDWARE, "device failed: the driver reset it and it did not come back: " + f.detail(),
                "the device no longer answers as documented: check it (nicup info), reset it (nicup unbind --restore,"
                + " then nicup bind) and look at the kernel log"));
    }
}
