package io.nicup.ndis.adapter;

import io.nicup.ndis.Ndis;
import io.nicup.vfio.InterruptMode;
import java.util.ArrayList;
import java.util.List;

/**
 * NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, passed to {@link Ndis#NdisMRegisterInterruptEx}: the
 * line-based handlers (ISR, DPC, enable, disable: all required) and, when {@link #msiSupported}, the
 * message-signalled ones (required then). Zeroed when created, like the C structure.
 *
 * <p>nicup extensions: {@link #interruptMode} forces a mode (otherwise MSI-X, then MSI, then INTx,
 * whichever the device offers first and the driver supports) and {@link #messageCount} limits the
 * vectors armed (0 = all the device offers).
 */
public final class InterruptCharacteristics<A> {

    private MiniportInterrupt<A> interruptHandler;
    private MiniportInterruptDpc<A> interruptDpcHandler;
    private MiniportEnableInterrupt<A> enableInterruptHandler;
    private MiniportDisableInterrupt<A> disableInterruptHandler;
    private boolean msiSupported;
    private MiniportInterrupt<A> messageInterruptHandler;
    private MiniportInterruptDpc<A> messageInterruptDpcHandler;
    private MiniportEnableInterrupt<A> enableMessageInterruptHandler;
    private MiniportDisableInterrupt<A> disableMessageInterruptHandler;
    private InterruptMode interruptMode;
    private int messageCount;

    public InterruptCharacteristics<A> interruptHandler(MiniportInterrupt<A> h) {
        this.interruptHandler = h;
        return this;
    }

    public InterruptCharacteristics<A> interruptDpcHandler(MiniportInterruptDpc<A> h) {
        this.interruptDpcHandler = h;
        return this;
    }

    public InterruptCharacteristics<A> enableInterruptHandler(MiniportEnableInterrupt<A> h) {
        this.enableInterruptHandler = h;
        return this;
    }

    public InterruptCharacteristics<A> disableInterruptHandler(MiniportDisableInterrupt<A> h) {
        this.disableInterruptHandler = h;
        return this;
    }

    public InterruptCharacteristics<A> msiSupported(boolean value) {
        this.msiSupported = value;
        return this;
    }

    public InterruptCharacteristics<A> messageInterruptHandler(MiniportInterrupt<A> h) {
        this.messageInterruptHandler = h;
        return this;
    }

    public InterruptCharacteristics<A> messageInterruptDpcHandler(MiniportInterruptDpc<A> h) {
        this.messageInterruptDpcHandler = h;
        return this;
    }

    public InterruptCharacteristics<A> enableMessageInterruptHandler(MiniportEnableInterrupt<A> h) {
        this.enableMessageInterruptHandler = h;
        return this;
    }

    public InterruptCharacteristics<A> disableMessageInterruptHandler(MiniportDisableInterrupt<A> h) {
        this.disableMessageInterruptHandler = h;
        return this;
    }

    /** Forces a mode (nicup extension); null picks the best the device offers. */
    public InterruptCharacteristics<A> interruptMode(InterruptMode mode) {
        this.interruptMode = mode;
        return this;
    }

    /** At most this many vectors (nicup extension); 0 for all the device offers. */
    public InterruptCharacteristics<A> messageCount(int count) {
        this.messageCount = count;
        return this;
    }

    /** Every same handler for line and message interrupts (a common driver shape). */
    public InterruptCharacteristics<A> allHandlers(MiniportInterrupt<A> isr, MiniportInterruptDpc<A> dpc,
            MiniportEnableInterrupt<A> enable, MiniportDisableInterrupt<A> disable) {
        interruptHandler(isr).interruptDpcHandler(dpc).enableInterruptHandler(enable).disableInterruptHandler(disable);
        return messageInterruptHandler(isr).messageInterruptDpcHandler(dpc).enableMessageInterruptHandler(enable)
                .disableMessageInterruptHandler(disable).msiSupported(true);
    }

    public boolean msiSupported() {
        return msiSupported;
    }

    public InterruptMode interruptMode() {
        return interruptMode;
    }

    public int messageCount() {
        return messageCount;
    }

    MiniportInterrupt<A> isr(InterruptMode mode) {
        return mode == InterruptMode.INTX ? interruptHandler : messageInterruptHandler;
    }

    MiniportInterruptDpc<A> dpc(InterruptMode mode) {
        return mode == InterruptMode.INTX ? interruptDpcHandler : messageInterruptDpcHandler;
    }

    /** Required handlers that are missing. */
    List<String> missing() {
        List<String> m = new ArrayList<>();
        if (interruptHandler == null) {
            m.add("InterruptHandler");
        }
        if (interruptDpcHandler == null) {
            m.add("InterruptDpcHandler");
        }
        if (enableInterruptHandler == null) {
            m.add("EnableInterruptHandler");
        }
        if (disableInterruptHandler == null) {
            m.add("DisableInterruptHandler");
        }
        if (msiSupported) {
            if (messageInterruptHandler == null) {
                m.add("MessageInterruptHandler");
            }
            if (messageInterruptDpcHandler == null) {
                m.add("MessageInterruptDpcHandler");
            }
            if (enableMessageInterruptHandler == null) {
                m.add("EnableMessageInterruptHandler");
            }
            if (disableMessageInterruptHandler == null) {
                m.add("DisableMessageInterruptHandler");
            }
        }
        return m;
    }
}
