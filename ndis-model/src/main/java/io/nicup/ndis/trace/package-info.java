/**
 * Trace and verifier: every call across the miniport contract as a trace event (JSON lines, schema in
 * {@code io/nicup/ndis/package-info.java}), the {@link io.nicup.ndis.trace.Rule}s a miniport must keep,
 * the {@link io.nicup.ndis.trace.Verifier} that records or throws on a broken rule
 * ({@link io.nicup.ndis.trace.VerifierMode}), and {@link io.nicup.ndis.trace.FaultInjection}, Driver
 * Verifier's low-resources simulation. The checks themselves are called at the named points where NDIS
 * makes them (see {@link io.nicup.ndis.driver.CharacteristicsRules} and {@link io.nicup.ndis.oid.OidRules}).
 *
 * <p>DDI pages followed: the NDIS Verifier and Driver Verifier (low resources simulation) pages, and the
 * page of each DDI a rule cites.
 */
package io.nicup.ndis.trace;
