package io.nicup.ndis;

import io.nicup.ndis.adapter.InitParameters;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.driver.DriverObject;
import io.nicup.ndis.driver.MiniportDriverCharacteristics;
import io.nicup.ndis.driver.NdisDriverHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The test miniport driver: what DriverEntry and MiniportDriverUnload of a real NIC driver do, with
 * {@link Switches} to break each rule. Its adapters are {@link TestAdapter}s.
 */
final class TestMiniport {

    static final MacAddress PERMANENT = MacAddress.parse("02-00-5E-10-00-01");

    final Switches sw;
    Ndis ndis;
    NdisDriverHandle driverHandle;
    MiniportDriverCharacteristics<TestMiniport, TestAdapter> characteristics;
    final List<TestAdapter> adapters = new ArrayList<>();
    int setOptionsCalls;
    boolean registrationReturned;
    boolean setOptionsRanInsideRegistration;
    int unloadCalls;

    TestMiniport(Switches sw) {
        this.sw = sw;
    }

    /** DriverEntry. */
    int driverEntry(DriverObject driverObject, RegistryPath registryPath) {
        ndis = driverObject.ndis();
        characteristics = buildCharacteristics();
        if (sw.skipRegistration) {
            return NdisStatus.SUCCESS;
        }
        try {
            driverHandle = ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, characteristics);
        } catch (NdisStatusException e) {
            return e.status();
        } finally {
            registrationReturned = true;
        }
        if (sw.mutateCharacteristicsAfterRegistration) {
            characteristics.pauseHandler((a, p) -> {
                throw new AssertionError("NDIS used the caller's structure instead of its copy");
            });
        }
        if (sw.registerTwice) {
            try {
                ndis.NdisMRegisterMiniportDriver(driverObject, registryPath, this, characteristics);
            } catch (NdisStatusException e) {
                return e.status();
            }
        }
        if (sw.failAfterRegistration) {
            // driver-wide initialization failed after registration succeeded (docs/ndis-contract.md §1.1)
            if (sw.deregisterOnEntryFailure) {
                ndis.NdisMDeregisterMiniportDriver(driverHandle);
            }
            return NdisStatus.RESOURCES;
        }
        if (sw.deregisterAndSucceed) {
            ndis.NdisMDeregisterMiniportDriver(driverHandle);
        }
        return NdisStatus.SUCCESS;
    }

    MiniportDriverCharacteristics<TestMiniport, TestAdapter> buildCharacteristics() {
        int revision = sw.ndisVersion.isDocumented() ? sw.ndisVersion.maxCharacteristicsRevision() : 1;
        MiniportDriverCharacteristics<TestMiniport, TestAdapter> c = new MiniportDriverCharacteristics<>();
        c.header(sw.header != null ? sw.header : MiniportDriverCharacteristics.headerFor(revision))
                .ndisVersion(sw.ndisVersion)
                .majorDriverVersion(1).minorDriverVersion(4)
                .flags(sw.characteristicsFlags)
                .setOptionsHandler(this::setOptions)
                .initializeHandlerEx(this::initializeEx)
                .haltHandlerEx(TestAdapter::halt)
                .unloadHandler(this::unload)
                .pauseHandler(TestAdapter::pause)
                .restartHandler(TestAdapter::restart)
                .oidRequestHandler(TestAdapter::oidRequest)
                .sendNetBufferListsHandler(TestAdapter::send)
                .returnNetBufferListsHandler(TestAdapter::returnNetBufferLists)
                .cancelSendHandler(TestAdapter::cancelSend)
                .devicePnPEventNotifyHandler(TestAdapter::pnpEvent)
                .shutdownHandlerEx(TestAdapter::shutdown)
                .cancelOidRequestHandler(TestAdapter::cancelOidRequest);
        if (sw.checkForHang) {
            c.checkForHangHandlerEx(TestAdapter::checkForHang);
            c.resetHandlerEx(sw.checkForHangWithoutReset ? null : TestAdapter::reset);
        }
        if (sw.directOidPair || sw.directOidOnlyRequest) {
            c.directOidRequestHandler(TestAdapter::directOidRequest);
        }
        if (sw.directOidPair) {
            c.cancelDirectOidRequestHandler(TestAdapter::cancelOidRequest);
        }
        if (sw.synchronousOid) {
            c.synchronousOidRequestHandler(TestAdapter::oidRequest);
        }
        for (String h : sw.omitHandlers) {
            switch (h) {
                case "InitializeHandlerEx" -> c.initializeHandlerEx(null);
                case "HaltHandlerEx" -> c.haltHandlerEx(null);
                case "UnloadHandler" -> c.unloadHandler(null);
                case "PauseHandler" -> c.pauseHandler(null);
                case "RestartHandler" -> c.restartHandler(null);
                case "OidRequestHandler" -> c.oidRequestHandler(null);
                case "SendNetBufferListsHandler" -> c.sendNetBufferListsHandler(null);
                case "ReturnNetBufferListsHandler" -> c.returnNetBufferListsHandler(null);
                case "CancelSendHandler" -> c.cancelSendHandler(null);
                case "DevicePnPEventNotifyHandler" -> c.devicePnPEventNotifyHandler(null);
                case "ShutdownHandlerEx" -> c.shutdownHandlerEx(null);
                case "CancelOidRequestHandler" -> c.cancelOidRequestHandler(null);
                case "SetOptionsHandler" -> c.setOptionsHandler(null);
                default -> throw new IllegalArgumentException(h);
            }
        }
        return c;
    }

    /** MiniportSetOptions: runs inside NdisMRegisterMiniportDriver. */
    int setOptions(NdisDriverHandle handle, TestMiniport context) {
        setOptionsCalls++;
        setOptionsRanInsideRegistration = !registrationReturned && context == this && handle != null;
        if (sw.setOptionsDeregisters) {
            ndis.NdisMDeregisterMiniportDriver(handle);
        }
        return sw.setOptionsStatus;
    }

    /** MiniportInitializeEx: one {@link TestAdapter} per adapter. */
    int initializeEx(NdisAdapterHandle handle, TestMiniport context, InitParameters params) {
        TestAdapter adapter = new TestAdapter(this, handle, params);
        adapters.add(adapter);
        if (sw.deregisterFromInitialize) {
            ndis.NdisMDeregisterMiniportDriver(driverHandle);
        }
        return adapter.initialize();
    }

    /** MiniportDriverUnload: driver-wide clean-up, then deregistration. */
    void unload(DriverObject driverObject) {
        unloadCalls++;
        if (sw.unloadWithoutDeregister) {
            return;
        }
        ndis.NdisMDeregisterMiniportDriver(driverHandle);
        if (sw.unloadDeregistersTwice) {
            ndis.NdisMDeregisterMiniportDriver(driverHandle);
        }
    }

    TestAdapter adapter() {
        return adapters.get(adapters.size() - 1);
    }
}
