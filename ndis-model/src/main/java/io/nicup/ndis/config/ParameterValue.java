package io.nicup.ndis.config;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.Ndis;

/**
 * What {@link Ndis#NdisReadConfiguration} returns: the value to use and how it was obtained.
 *
 * <ul>
 * <li>{@link Source#CONFIGURED}: present and valid; status SUCCESS.</li>
 * <li>{@link Source#ABSENT}: not in the parameter store; status FAILURE (as NdisReadConfiguration
 *     reports a missing keyword) and the keyword's default is the value.</li>
 * <li>{@link Source#BAD_VALUE}: present but outside the keyword's definition; status INVALID_DATA,
 *     {@link #problem()} says why, the default is the value, and the host reports it.</li>
 * </ul>
 *
 * @param raw the text from the store, null when absent
 * @param value the text to use: the configured value or the default (null for a network address with
 *     none)
 */
public record ParameterValue(Keyword keyword, int status, Source source, String raw, String value, String problem) {

    public enum Source {
        CONFIGURED,
        ABSENT,
        BAD_VALUE
    }

    /** The value as a number (int and enum keywords). */
    public long longValue() {
        Long v = value == null ? null : Keyword.parseNumber(value);
        if (v == null) {
            throw new IllegalStateException("keyword has no numeric value: keyword=" + keyword.name() + " value=" + value);
        }
        return v;
    }

    public int intValue() {
        return Math.toIntExact(longValue());
    }

    /** True when the value came from the parameter store. */
    public boolean configured() {
        return source == Source.CONFIGURED;
    }

    /** The value as a MAC address (network address keywords); null when there is none. */
    public MacAddress macAddress() {
        return value == null ? null : MacAddress.parse(value);
    }
}
