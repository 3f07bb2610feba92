/**
 * Receive side scaling in software: {@link io.nicup.ndis.rss.Toeplitz}, the reference hash a NIC's RSS
 * hash and queue choice are checked against (docs/ndis-contract.md §10.2, §10.3). Depends on nothing but
 * the JDK, so a simulated NIC's model and the CLI's checks can use it alike.
 */
package io.nicup.ndis.rss;
