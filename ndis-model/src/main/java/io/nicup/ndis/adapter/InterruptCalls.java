package io.nicup.ndis.adapter;

import io.nicup.ndis.HostOptions;
import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import io.nicup.vfio.DeviceAccessException;
import io.nicup.vfio.InterruptMode;
import io.nicup.vfio.InterruptSet;
import java.util.List;
import java.util.Map;

/**
 * NdisMRegisterInterruptEx and NdisMDeregisterInterruptEx: arms the device's vectors in the best mode the
 * device and the miniport agree on and dispatches them to the ISR and DPC (on a thread, or when the host
 * polls).
 */
@NdisInternal
public final class InterruptCalls extends NdisCallSupport {

    public InterruptCalls(HostServices services, ProtocolDelivery delivery, Object owner) {
        super(services, delivery, owner);
    }

    public <A> NdisInterruptHandle NdisMRegisterInterruptEx(NdisAdapterHandle miniportAdapterHandle,
            A miniportInterruptContext, InterruptCharacteristics<A> characteristics) {
        return adapterHandleCall(NdisCall.NdisMRegisterInterruptEx, miniportAdapterHandle, Map.of(), a -> {
            requireRegistrationAttributes(a, NdisCall.NdisMRegisterInterruptEx);
            List<String> missing = characteristics.missing();
            if (!missing.isEmpty()) {
                throw rejectHandle(a, Rule.INTERRUPT_HANDLERS, NdisCall.NdisMRegisterInterruptEx,
                        NdisStatus.INVALID_PARAMETER, "missing=" + missing);
            }
            if (a.resources.interrupt != null) {
                throw rejectHandle(a, Rule.INTERRUPT_HANDLERS, NdisCall.NdisMRegisterInterruptEx, NdisStatus.FAILURE,
                        "already_registered=true");
            }
            InterruptMode wanted = characteristics.interruptMode();
            if (wanted != null && wanted != InterruptMode.INTX && !characteristics.msiSupported()) {
                throw rejectHandle(a, Rule.INTERRUPT_HANDLERS, NdisCall.NdisMRegisterInterruptEx,
                        NdisStatus.INVALID_PARAMETER, "mode=" + wanted + " msi_supported=false");
            }
            injected(NdisCall.NdisMRegisterInterruptEx);
            InterruptMode mode = wanted != null ? wanted : chooseMode(a, characteristics.msiSupported());
            int offered = mode == null ? 0 : a.device().interrupts().maxVectors(mode);
            if (offered == 0) {
                throw new NdisStatusException(NdisCall.NdisMRegisterInterruptEx, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " mode=" + mode + " vectors=0");
            }
            int count = mode == InterruptMode.INTX ? 1
                    : characteristics.messageCount() > 0 ? Math.min(offered, characteristics.messageCount()) : offered;
            InterruptSet vectors;
            try {
                vectors = a.device().interrupts().enable(mode, count);
            } catch (DeviceAccessException e) {
                throw new NdisStatusException(NdisCall.NdisMRegisterInterruptEx, NdisStatus.RESOURCES,
                        "adapter=" + a.name() + " mode=" + mode + " error=" + e.getMessage());
            }
            NdisInterruptHandle interrupt = new NdisInterruptHandle(a, vectors, characteristics, miniportInterruptContext);
            interrupt.entry = acquire(a, ResourceLedger.Kind.INTERRUPT, "Interrupt(" + mode + " x" + vectors.count() + ")",
                    () -> {
                        a.resources.interrupt = null;
                        interrupt.stop();
                    });
            a.resources.interrupt = interrupt;
            if (options.interruptDelivery() == HostOptions.InterruptDelivery.THREAD) {
                interrupt.startThread();
            }
            return interrupt;
        });
    }

    static InterruptMode chooseMode(MiniportAdapter a, boolean msiSupported) {
        for (InterruptMode m : InterruptMode.values()) {
            if ((m == InterruptMode.INTX || msiSupported) && a.device().interrupts().maxVectors(m) > 0) {
                return m;
            }
        }
        return null;
    }

    public void NdisMDeregisterInterruptEx(NdisInterruptHandle ndisInterruptHandle) {
        adapterStatusCall(NdisCall.NdisMDeregisterInterruptEx, ndisInterruptHandle.adapter.handle,
                Map.of("isr_calls", Long.toString(ndisInterruptHandle.isrCalls()), "dpc_calls",
                        Long.toString(ndisInterruptHandle.dpcCalls())), a -> {
                    if (release(a, ndisInterruptHandle.entry, NdisCall.NdisMDeregisterInterruptEx)) {
                        a.resources.interrupt = null;
                        ndisInterruptHandle.stop();
                        return NdisStatus.SUCCESS;
                    }
                    return NdisStatus.FAILURE;
                });
    }
}
