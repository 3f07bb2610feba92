/**
 * The conformance battery: the checks Microsoft's HLK NDISTest and Driver Verifier run on a miniport,
 * played through this NDIS model against any supported NIC (simulated, emulated in QEMU or real on
 * vfio-pci). Each check ({@link io.nicup.ndis.conformance.ConformanceCheck}) is a small class with one job
 * that brings up its own adapter ({@link io.nicup.ndis.conformance.CheckContext}) and returns a typed
 * {@link io.nicup.ndis.conformance.CheckResult}; {@link io.nicup.ndis.conformance.ConformanceBattery} runs a
 * selection and adds what the verifier saw meanwhile. The checks that need the far end of the cable ask a
 * {@link io.nicup.ndis.conformance.LinkPartner} for it: a simulated NIC's wire, or on real hardware a reflector
 * and a {@link io.nicup.ndis.conformance.LinkControl} (docs/ndis-contract.md §18). Only the CLI prints and
 * picks exit codes. The facts the checks rely on are in docs/ndis-contract.md §14 and §15.
 */
package io.nicup.ndis.conformance;
