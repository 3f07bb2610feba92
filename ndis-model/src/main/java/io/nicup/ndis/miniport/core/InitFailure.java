package io.nicup.ndis.miniport.core;

import java.util.Objects;

/**
 * Why one adapter's MiniportInitializeEx failed on the hardware: the step of the initialization that
 * failed and what it saw, with key=value detail ({@code "NVM checksum invalid: sum of words ... = 0xBABB"}).
 * NDIS learns only a status code; this is the reason a user reads. Kept per adapter by
 * {@link AdapterContexts} until that adapter initializes again; a MiniportResetEx (which initializes the
 * device again) and a MiniportHaltEx that cannot stop the device record theirs the same way.
 *
 * @param step the step that failed, as the driver's initialization names it ({@code "reset and identify"})
 * @param detail what was seen
 */
public record InitFailure(String step, String detail) {

    public InitFailure {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(detail, "detail");
    }

    /** The failure of {@code step} that {@code e} reports. */
    public static InitFailure of(String step, RuntimeException e) {
        return new InitFailure(step, String.valueOf(e.getMessage()));
    }
}
