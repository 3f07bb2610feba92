/**
 * Configuration: the driver's registry path as an INI-style parameter file
 * ({@link io.nicup.ndis.config.ParameterStore}, format in {@code io/nicup/ndis/package-info.java}), the
 * keyword definitions values are checked against ({@link io.nicup.ndis.config.Keyword},
 * {@link io.nicup.ndis.config.StandardKeywords}) and what NdisReadConfiguration returns
 * ({@link io.nicup.ndis.config.ParameterValue}). Internal ({@link io.nicup.ndis.NdisInternal}):
 * {@link io.nicup.ndis.config.ConfigurationCalls}.
 *
 * <p>DDI pages followed: NdisOpenConfigurationEx, NdisReadConfiguration, NdisReadNetworkAddress,
 * NdisCloseConfiguration, and "Standardized INF keywords for network devices".
 */
package io.nicup.ndis.config;
