package io.nicup.ndis.config;

import io.nicup.ndis.NdisCall;
import io.nicup.ndis.NdisException;
import io.nicup.ndis.NdisInternal;
import io.nicup.ndis.NdisStatus;
import io.nicup.ndis.adapter.NdisAdapterHandle;
import io.nicup.ndis.adapter.ResourceLedger;
import io.nicup.ndis.host.HostServices;
import io.nicup.ndis.host.NdisCallSupport;
import io.nicup.ndis.protocol.ProtocolDelivery;
import io.nicup.ndis.trace.NdisTrace;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * NdisOpenConfigurationEx, NdisReadConfiguration and NdisCloseConfiguration: an adapter's keywords from
 * the driver's registry path, each validated against its definition; a bad value is reported and the
 * keyword's default used.
 */
@NdisInternal
public final class ConfigurationCalls extends NdisCallSupport {

    private final Consumer<ParameterValue> parameterProblems;

    public ConfigurationCalls(HostServices services, ProtocolDelivery delivery, Object owner, Consumer<ParameterValue> parameterProblems) {
        super(services, delivery, owner);
        this.parameterProblems = parameterProblems;
    }

    public NdisConfiguration NdisOpenConfigurationEx(NdisAdapterHandle miniportAdapterHandle) {
        return adapterHandleCall(NdisCall.NdisOpenConfigurationEx, miniportAdapterHandle, Map.of(), a -> {
            injected(NdisCall.NdisOpenConfigurationEx);
            NdisConfiguration cfg = new NdisConfiguration(a.driver().registryPath.store(), a.device().address(), a,
                    a.driver());
            cfg.entry = acquire(a, ResourceLedger.Kind.CONFIGURATION, "Configuration(" + cfg.store.source() + ")",
                    () -> cfg.closed = true);
            return cfg;
        });
    }

    public ParameterValue NdisReadConfiguration(NdisConfiguration configurationHandle, Keyword keyword) {
        NdisConfiguration cfg = configurationHandle;
        if (cfg.closed) {
            throw new NdisException("call=NdisReadConfiguration configuration handle already closed: keyword="
                    + keyword.name());
        }
        Optional<String> raw = cfg.store.lookup(cfg.adapterAddress, keyword.name());
        ParameterValue value;
        if (raw.isEmpty()) {
            value = new ParameterValue(keyword, NdisStatus.FAILURE, ParameterValue.Source.ABSENT, null,
                    keyword.defaultValue(), null);
        } else {
            String problem = keyword.problemWith(raw.get());
            value = problem == null
                    ? new ParameterValue(keyword, NdisStatus.SUCCESS, ParameterValue.Source.CONFIGURED, raw.get(),
                            raw.get().trim(), null)
                    : new ParameterValue(keyword, NdisStatus.INVALID_DATA, ParameterValue.Source.BAD_VALUE, raw.get(),
                            keyword.defaultValue(), problem);
        }
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("source", value.source().name().toLowerCase(java.util.Locale.ROOT));
        detail.put("value", String.valueOf(value.value()));
        if (value.problem() != null) {
            detail.put("configured", value.raw());
            detail.put("problem", value.problem());
        }
        trace.instant(NdisTrace.Kind.CONFIG, NdisTrace.Direction.MINIPORT_TO_NDIS, keyword.name(),
                cfg.driver.name(), cfg.adapter.name(), value.status(), detail);
        if (value.source() == ParameterValue.Source.BAD_VALUE) {
            parameterProblems.accept(value);
        }
        return value;
    }

    public void NdisCloseConfiguration(NdisConfiguration configurationHandle) {
        NdisConfiguration cfg = configurationHandle;
        adapterStatusCall(NdisCall.NdisCloseConfiguration, cfg.adapter.handle, Map.of(), a -> {
            if (release(a, cfg.entry, NdisCall.NdisCloseConfiguration)) {
                cfg.closed = true;
                return NdisStatus.SUCCESS;
            }
            return NdisStatus.FAILURE;
        });
    }
}
