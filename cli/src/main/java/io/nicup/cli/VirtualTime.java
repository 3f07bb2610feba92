package io.nicup.cli;

import java.util.Map;

/**
 * How a time or a rate taken from the device clock is labelled when that clock is virtual (a simulated
 * NIC's, {@link Session#virtualTime()}): it advances as the simulation runs, not with the wall clock, and
 * does not model the wire. Every command that prints such a number labels it here, in its text and with
 * {@code "virtual_time"} in --json; on a real NIC the labels are empty and {@code "virtual_time"} false.
 */
final class VirtualTime {

    /** The --json key: true when the document's times and rates are virtual. */
    static final String JSON_KEY = "virtual_time";

    private VirtualTime() {
    }

    /** After a time: "in 1.002 ms of virtual time". */
    static String ofTime(boolean virtual) {
        return virtual ? " of virtual time" : "";
    }

    /** After a rate: "63872 pps, 523.2 Mb/s simulated". */
    static String rate(boolean virtual) {
        return virtual ? " simulated" : "";
    }

    /** A table column of times: "DURATION (virtual)". */
    static String column(String name, boolean virtual) {
        return virtual ? name + " (virtual)" : name;
    }

    /** The line under a table or list whose {@code what} (e.g. "durations") are virtual. */
    static String note(String what) {
        return "note: " + what + " are the simulated NIC's virtual time, not wall-clock time";
    }

    /** Labels a --json document. */
    static void label(Map<String, Object> doc, boolean virtual) {
        doc.put(JSON_KEY, virtual);
    }
}
