package io.nicup.ndis.conformance;

import io.nicup.ndis.trace.Violation;
import java.util.List;

/**
 * One check as the battery ran it.
 *
 * @param mirrors the HLK test or Driver Verifier rule the check plays
 * @param durationNanos on the device clock
 * @param virtualTime whether that clock is a simulated NIC's virtual clock
 * @param violations the verifier's findings while the check ran (a check with any has failed)
 */
public record CheckReport(String name, String mirrors, CheckResult result, long durationNanos, boolean virtualTime,
        List<Violation> violations) {

    public CheckReport {
        violations = List.copyOf(violations);
    }
}
