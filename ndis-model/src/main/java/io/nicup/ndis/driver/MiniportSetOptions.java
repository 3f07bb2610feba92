package io.nicup.ndis.driver;

import io.nicup.ndis.Ndis;

/**
 * MiniportSetOptions: called by NDIS inside {@link Ndis#NdisMRegisterMiniportDriver}, before that call
 * returns. Returns SUCCESS, RESOURCES or another error (DDI nc-ndis-set_options.md).
 *
 * <p>nicup's choice where the DDI is silent (docs/ndis-contract.md §1, UNCONFIRMED): a status other than
 * SUCCESS fails the registration with that same status; the driver is then not registered and must not
 * call NdisMDeregisterMiniportDriver.
 */
@FunctionalInterface
public interface MiniportSetOptions<D> {

    int setOptions(NdisDriverHandle ndisMiniportDriverHandle, D miniportDriverContext);
}
