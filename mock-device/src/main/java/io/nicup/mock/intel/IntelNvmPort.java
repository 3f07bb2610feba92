package io.nicup.mock.intel;

import io.nicup.mock.VirtualClock;

/**
 * Software reset and the NVM behind it: CTRL.RST holds the device for
 * {@link IntelTiming#SOFTWARE_RESET_NANOS}, then the NVM auto-read sets EECD.AUTO_RD
 * {@link IntelTiming#NVM_AUTO_READ_NANOS} later (the chip loads what it takes from the NVM first); EERD
 * reads and EEWR writes a word in {@link IntelTiming#EERD_NANOS}. A word beyond the image never
 * completes, as in QEMU.
 */
public final class IntelNvmPort {

    /** What a chip tells the reset and NVM engine. */
    public interface Chip {

        /** Every register back to its power-on value, as a software reset does. */
        void resetRegisters();

        /** The auto-read loads the chip's configuration (the 82576's RAL0/RAH0) before AUTO_RD sets. */
        void loadFromNvm();

        /** EERD waits for the auto-read: with it stuck, EERD never answers (the 82576). */
        boolean eerdNeedsAutoRead();
    }

    private final IntelCore core;
    private final E1000xNvm nvm;
    private final Chip chip;
    private VirtualClock.Event resetEvent;
    private VirtualClock.Event autoReadEvent;
    private VirtualClock.Event eerdEvent;
    private VirtualClock.Event eewrEvent;

    public IntelNvmPort(IntelCore core, E1000xNvm nvm, Chip chip) {
        this.core = core;
        this.nvm = nvm;
        this.chip = chip;
    }

    /** CTRL.RST written: registers back to power-on, writes ignored until the reset completes. */
    public void startSoftwareReset() {
        IntelLayout l = core.layout;
        chip.resetRegisters();
        core.inReset = true;
        core.regs[l.ctrl() >> 2] |= l.ctrlRst();
        core.regs[l.eecd() >> 2] &= ~l.eecdAutoRd();
        if (!core.has(IntelFault.RESET_STUCK)) {
            resetEvent = core.clock.schedule(IntelTiming.SOFTWARE_RESET_NANOS, core.name + " reset done",
                    this::softwareResetDone);
        }
    }

    private void softwareResetDone() {
        IntelLayout l = core.layout;
        core.inReset = false;
        core.regs[l.ctrl() >> 2] &= ~l.ctrlRst();
        if (!core.has(IntelFault.NVM_AUTOREAD_STUCK)) {
            autoReadEvent = core.clock.schedule(IntelTiming.NVM_AUTO_READ_NANOS, core.name + " NVM auto-read done",
                    this::autoReadDone);
        }
    }

    /** The auto-read completes: the chip's configuration from the NVM, then EECD.AUTO_RD. */
    public void autoReadDone() {
        chip.loadFromNvm();
        core.regs[core.layout.eecd() >> 2] |= core.layout.eecdAutoRd();
    }

    public void writeEerd(int value) {
        int eerd = core.layout.eerd();
        int addr = (value >>> Eerd.ADDR_SHIFT) & Eerd.ADDR_MASK;
        core.setReg(eerd, addr << Eerd.ADDR_SHIFT);
        IntelCore.cancel(eerdEvent);
        boolean autoRead = (core.reg(core.layout.eecd()) & core.layout.eecdAutoRd()) != 0;
        if ((value & Eerd.START) == 0 || core.has(IntelFault.EERD_STUCK)
                || chip.eerdNeedsAutoRead() && !autoRead && core.has(IntelFault.NVM_AUTOREAD_STUCK)) {
            return; // a stuck auto-read keeps the NVM interface: EERD never answers
        }
        eerdEvent = core.clock.schedule(IntelTiming.EERD_NANOS, core.name + " EERD done", () -> {
            if (addr < E1000xNvm.WORDS) { // QEMU: a word beyond the image never completes
                core.setReg(eerd, Eerd.DONE | addr << Eerd.ADDR_SHIFT | nvm.read(addr) << Eerd.DATA_SHIFT);
            }
        });
    }

    public void writeEewr(int value) {
        int eewr = core.layout.eewr();
        int addr = (value >>> Eerd.ADDR_SHIFT) & Eerd.ADDR_MASK;
        int data = value >>> Eerd.DATA_SHIFT;
        core.setReg(eewr, (addr << Eerd.ADDR_SHIFT) | (data << Eerd.DATA_SHIFT));
        IntelCore.cancel(eewrEvent);
        if ((value & Eerd.START) == 0 || core.has(IntelFault.EERD_STUCK)) {
            return;
        }
        eewrEvent = core.clock.schedule(IntelTiming.EERD_NANOS, core.name + " EEWR done", () -> {
            if (addr < E1000xNvm.WORDS) {
                nvm.write(addr, data);
                core.setReg(eewr, Eerd.DONE | addr << Eerd.ADDR_SHIFT | data << Eerd.DATA_SHIFT);
            }
        });
    }

    /** Ends every operation in flight (a reset or close). */
    public void cancel() {
        for (VirtualClock.Event e : new VirtualClock.Event[] {resetEvent, autoReadEvent, eerdEvent, eewrEvent}) {
            IntelCore.cancel(e);
        }
    }
}
