package io.nicup.ndis.driver;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.NdisStatusException;
import io.nicup.ndis.adapter.AdapterState;
import io.nicup.ndis.adapter.MiniportAdapter;
import io.nicup.ndis.config.RegistryPath;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.Rule;
import java.util.Map;

/**
 * NdisMRegisterMiniportDriver and NdisMDeregisterMiniportDriver: the characteristics are checked by
 * {@link CharacteristicsRules}, copied, and MiniportSetOptions runs inside the registration call.
 */
@NdisInternal
public final class DriverRegistration extends NdisCallSupport {

    private final DriverLoader loader;

    public DriverRegistration(HostServices services, ProtocolDelivery delivery, Object owner, DriverLoader loader) {
        super(services, delivery, owner);
        this.loader = loader;
    }

    public <D, A> NdisDriverHandle NdisMRegisterMiniportDriver(DriverObject driverObject, RegistryPath registryPath,
            D miniportDriverContext, MiniportDriverCharacteristics<D, A> characteristics) {
        LoadedDriver driver = loader.driverOf(driverObject);
        Map<String, String> detail = Map.of("ndis_version", characteristics.ndisVersion().toString(),
                "header", characteristics.header().toString(), "driver_version",
                characteristics.majorDriverVersion() + "." + characteristics.minorDriverVersion());
        return handleCall(NdisCall.NdisMRegisterMiniportDriver, driver.name(), "", detail, () -> {
            int status = register(driver, miniportDriverContext, characteristics);
            if (status != NdisStatus.SUCCESS) {
                throw new NdisStatusException(NdisCall.NdisMRegisterMiniportDriver, status, "driver=" + driver.name());
            }
            return driver.handle;
        });
    }

    @SuppressWarnings("unchecked")
    int register(LoadedDriver driver, Object context, MiniportDriverCharacteristics<?, ?> given) {
        if (driver.phase != LoadedDriver.Phase.LOADING || driver.registered || driver.registering) {
            return reject(driver, Rule.DRV_REGISTER_ONCE, NdisStatus.FAILURE,
                    "phase=" + driver.phase + " registered=" + driver.registered);
        }
        int fault = faults.check(NdisCall.NdisMRegisterMiniportDriver);
        if (fault != NdisStatus.SUCCESS) {
            return fault;
        }
        MiniportDriverCharacteristics<Object, Object> c = (MiniportDriverCharacteristics<Object, Object>) given.copy();
        CharacteristicsRules.Broken broken = CharacteristicsRules.check(c);
        if (broken != null) {
            return reject(driver, broken.rule(), broken.status(), broken.detail());
        }
        driver.characteristics = c;
        driver.driverContext = context;
        driver.handle = new NdisDriverHandle(driver);
        driver.registering = true;
        boolean ok = false;
        try {
            MiniportSetOptions<Object> setOptions = c.setOptionsHandler();
            if (setOptions != null) {
                int status = invoker.invokeStatus(NdisCall.MiniportSetOptions, driver, null, Map.of(),
                        () -> setOptions.setOptions(driver.handle, context));
                if (status != NdisStatus.SUCCESS) {
                    // nicup's choice (UNCONFIRMED in the DDI): a failing SetOptions fails the registration.
                    return NdisStatus.isError(status) ? status : NdisStatus.FAILURE;
                }
            }
            ok = true;
        } finally {
            driver.registering = false;
            if (!ok) {
                driver.characteristics = null;
                driver.driverContext = null;
                driver.handle = null;
            }
        }
        driver.registered = true;
        return NdisStatus.SUCCESS;
    }

    public void NdisMDeregisterMiniportDriver(NdisDriverHandle ndisMiniportDriverHandle) {
        if (ndisMiniportDriverHandle == null) {
            throw new NdisException("call=NdisMDeregisterMiniportDriver handle=null");
        }
        LoadedDriver driver = ndisMiniportDriverHandle.driver;
        statusCall(NdisCall.NdisMDeregisterMiniportDriver, driver.name(), "", Map.of(), () -> {
            if (driver.deregistered) {
                return reject(driver, Rule.DRV_DEREGISTER_ONCE, NdisStatus.FAILURE, "already=deregistered");
            }
            boolean fromEntry = driver.phase == LoadedDriver.Phase.LOADING && !driver.registering;
            if (!fromEntry && driver.phase != LoadedDriver.Phase.UNLOADING) {
                return reject(driver, Rule.DRV_DEREGISTER_CONTEXT, NdisStatus.FAILURE, "phase=" + driver.phase
                        + (driver.registering ? " inside=MiniportSetOptions" : ""));
            }
            for (MiniportAdapter a : driver.adapters) {
                if (a.state() != AdapterState.HALTED && a.state() != AdapterState.SHUTDOWN) {
                    return reject(driver, Rule.DRV_DEREGISTER_CONTEXT, NdisStatus.FAILURE,
                            "adapter=" + a.name() + " state=" + a.state());
                }
            }
            driver.deregistered = true;
            return NdisStatus.SUCCESS;
        });
    }
}
