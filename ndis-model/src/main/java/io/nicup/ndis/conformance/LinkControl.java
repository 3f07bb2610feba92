package io.nicup.ndis.conformance;

/**
 * Pulls and plugs the link from outside the NIC: a simulated NIC's cable, or on a bench a command that shuts a
 * switch port or drives QEMU's {@code set_link} (docs/ndis-contract.md §18). Returns once the link is in the
 * state asked for, as far as the far end can tell.
 */
@FunctionalInterface
public interface LinkControl {

    /**
     * Brings the link up ({@code true}) or down.
     *
     * @throws LinkControlException when it could not (the link check fails with its message)
     */
    void set(boolean up);

    /** The link could not be pulled or plugged: what was run and what it said. */
    final class LinkControlException extends RuntimeException {

        public LinkControlException(String message) {
            super(message);
        }
    }
}
