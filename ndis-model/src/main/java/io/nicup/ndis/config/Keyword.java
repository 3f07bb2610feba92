package io.nicup.ndis.config;

import io.nicup.ndis.MacAddress;
import io.nicup.ndis.NdisInternal;
import java.util.Arrays;
import java.util.Locale;

/**
 * A configuration keyword as a driver's INF defines it: name, type, default, and the allowed values
 * (a range for {@code int}, a list for {@code enum}). {@link StandardKeywords} has the standardized
 * ones; a miniport narrows or widens them for its hardware with {@link #withRange}, {@link #withAllowed}
 * and {@link #withDefault}, or defines its own.
 *
 * @param allowed for {@link Type#ENUM}, the permitted values; empty otherwise
 */
public record Keyword(String name, Type type, String defaultValue, long min, long max, long[] allowed,
        String description) {

    /** INF parameter types (the {@code Type} of Ndi\params). */
    public enum Type {
        /** A number in [min, max]. */
        INT,
        /** One of a list of numbers. */
        ENUM,
        /** Free text. */
        EDIT,
        /** 12 hex digits, hyphens optional; a unicast, non-zero MAC address. */
        NETWORK_ADDRESS
    }

    public Keyword {
        allowed = allowed.clone();
        if (type == Type.INT && min > max) {
            throw new IllegalArgumentException("keyword range empty: keyword=" + name + " min=" + min + " max=" + max);
        }
    }

    public static Keyword integer(String name, long defaultValue, long min, long max, String description) {
        return new Keyword(name, Type.INT, Long.toString(defaultValue), min, max, new long[0], description);
    }

    public static Keyword enumeration(String name, long defaultValue, long[] allowed, String description) {
        return new Keyword(name, Type.ENUM, Long.toString(defaultValue), 0, 0, allowed, description);
    }

    public static Keyword edit(String name, String defaultValue, String description) {
        return new Keyword(name, Type.EDIT, defaultValue, 0, 0, new long[0], description);
    }

    /** A network address keyword; it has no default (absent means "use the permanent address"). */
    public static Keyword networkAddress(String name, String description) {
        return new Keyword(name, Type.NETWORK_ADDRESS, null, 0, 0, new long[0], description);
    }

    public Keyword withRange(long newMin, long newMax) {
        return new Keyword(name, Type.INT, defaultValue, newMin, newMax, new long[0], description);
    }

    public Keyword withAllowed(long... values) {
        return new Keyword(name, Type.ENUM, defaultValue, 0, 0, values, description);
    }

    public Keyword withDefault(long value) {
        return new Keyword(name, type, Long.toString(value), min, max, allowed, description);
    }

    public Keyword withDefault(String value) {
        return new Keyword(name, type, value, min, max, allowed, description);
    }

    @Override
    public long[] allowed() {
        return allowed.clone();
    }

    /**
     * Checks a raw value against this definition.
     *
     * @return null when acceptable, else why not (one phrase, key=value style)
     */
    @NdisInternal
    public String problemWith(String raw) {
        return switch (type) {
            case INT, ENUM -> {
                Long v = parseNumber(raw);
                if (v == null) {
                    yield "not a number";
                }
                if (type == Type.INT && (v < min || v > max)) {
                    yield "out of range min=" + min + " max=" + max;
                }
                if (type == Type.ENUM && Arrays.stream(allowed).noneMatch(a -> a == v)) {
                    yield "not one of " + Arrays.toString(allowed);
                }
                yield null;
            }
            case EDIT -> null;
            case NETWORK_ADDRESS -> {
                try {
                    MacAddress mac = MacAddress.parse(raw);
                    if (mac.isMulticast()) {
                        yield "group (multicast) address";
                    }
                    yield mac.isZero() ? "all-zero address" : null;
                } catch (IllegalArgumentException e) {
                    yield "not 12 hex digits";
                }
            }
        };
    }

    @NdisInternal
    public static Long parseNumber(String raw) {
        String s = raw.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.startsWith("0x")) {
                return Long.parseLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Keyword k && k.name.equalsIgnoreCase(name) && k.type == type
                && java.util.Objects.equals(k.defaultValue, defaultValue) && k.min == min && k.max == max
                && Arrays.equals(k.allowed, allowed);
    }

    @Override
    public int hashCode() {
        return ParameterStore.fold(name).hashCode();
    }

    @Override
    public String toString() {
        return switch (type) {
            case INT -> name + " (int " + min + ".." + max + ", default " + defaultValue + ")";
            case ENUM -> name + " (enum " + Arrays.toString(allowed) + ", default " + defaultValue + ")";
            case EDIT -> name + " (edit, default '" + defaultValue + "')";
            case NETWORK_ADDRESS -> name + " (network address, no default)";
        };
    }
}
