package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.Ndis;
import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.InterruptCharacteristics;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.NdisInterruptHandle;
import io.nicup.vfio.InterruptMode;
import java.util.function.Supplier;

/**
 * NdisMRegisterInterruptEx for the Intel chips, which take any of MSI-X, MSI and INTx: the modes are
 * tried in the order given (for the automatic *InterruptMode: MSI-X, then MSI, then INTx, as Linux
 * e1000e and igb fall back) and the first NDIS grants is kept.
 */
public final class InterruptFallback {

    private InterruptFallback() {
    }

    /**
     * Registers {@code context}'s interrupt in the first mode of {@code order} that NDIS grants, asking for
     * {@code msixVectors} messages with MSI-X; {@code handlers} gives the ISR, DPC, enable and disable
     * handlers. Throws the refusal of the last mode tried (RESOURCES when there was none to try).
     */
    public static <A> NdisInterruptHandle register(Ndis ndis, NdisAdapterHandle handle, A context,
            InterruptMode[] order, int msixVectors, Supplier<InterruptCharacteristics<A>> handlers) {
        NdisStatusException last = null;
        for (InterruptMode m : order) {
            InterruptCharacteristics<A> ic = handlers.get().msiSupported(m != InterruptMode.INTX).interruptMode(m);
            if (m == InterruptMode.MSIX) {
                ic.messageCount(msixVectors);
            }
            try {
                return ndis.NdisMRegisterInterruptEx(handle, context, ic);
            } catch (NdisStatusException e) {
                last = e;                                   // fall back: MSI-X, then MSI, then INTx
            }
        }
        throw last != null ? last
                : new NdisStatusException(NdisCall.NdisMRegisterInterruptEx, NdisStatus.RESOURCES, "no interrupt mode");
    }
}
