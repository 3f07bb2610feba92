package io.nicup.mock;

import java.util.OptionalLong;

/**
 * A fault asked for in a device spec: {@code fault=NAME} or {@code fault=NAME@N}.
 *
 * @param name the fault's name as the model lists it
 * @param after the trigger count from {@code NAME@N} or the spec's {@code after=N}; empty for the
 *     fault's own default
 */
public record FaultRequest(String name, OptionalLong after) {

    /** The trigger count, or {@code defaultAfter} when the spec gave none. */
    public long afterOr(long defaultAfter) {
        return after.orElse(defaultAfter);
    }

    @Override
    public String toString() {
        return after.isPresent() ? name + "@" + after.getAsLong() : name;
    }
}
