/**
 * Driver registration: the driver object DriverEntry receives, the characteristics a miniport registers
 * (every Miniport* handler it may give, one functional interface each), and NDIS's side of loading,
 * registering and unloading a driver.
 *
 * <ul>
 * <li>For miniports: {@link io.nicup.ndis.driver.DriverObject}, {@link io.nicup.ndis.driver.MiniportDriverEntry},
 *     {@link io.nicup.ndis.driver.MiniportDriverCharacteristics} and the handler interfaces
 *     ({@link io.nicup.ndis.driver.MiniportInitializeEx}, {@link io.nicup.ndis.driver.MiniportHaltEx},
 *     {@link io.nicup.ndis.driver.MiniportPause}, {@link io.nicup.ndis.driver.MiniportRestart}, ...).</li>
 * <li>For the host: {@link io.nicup.ndis.driver.LoadedDriver} (a driver as the CLI sees it).</li>
 * <li>Internal ({@link io.nicup.ndis.NdisInternal}): {@link io.nicup.ndis.driver.DriverLoader}
 *     (DriverEntry and MiniportDriverUnload), {@link io.nicup.ndis.driver.DriverRegistration}
 *     (NdisMRegisterMiniportDriver, NdisMDeregisterMiniportDriver) and
 *     {@link io.nicup.ndis.driver.CharacteristicsRules} (the verifier's checks on the characteristics).</li>
 * </ul>
 *
 * <p>DDI pages followed: DriverEntry of an NDIS miniport driver, NdisMRegisterMiniportDriver,
 * NDIS_MINIPORT_DRIVER_CHARACTERISTICS, MiniportSetOptions, MiniportDriverUnload,
 * NdisMDeregisterMiniportDriver.
 */
package io.nicup.ndis.driver;
