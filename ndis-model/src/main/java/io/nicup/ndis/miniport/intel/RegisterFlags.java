package io.nicup.ndis.miniport.intel;

/** Names of the bits set in a register value, for the register dumps of both Intel families. */
public final class RegisterFlags {

    private RegisterFlags() {
    }

    /**
     * The names of the bits of {@code v} that are set, space-separated, in the order given.
     *
     * @param pairs bit mask ({@code Integer}) and name ({@code String}), alternating
     */
    public static String names(int v, Object... pairs) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if ((v & (Integer) pairs[i]) != 0) {
                sb.append(sb.isEmpty() ? "" : " ").append(pairs[i + 1]);
            }
        }
        return sb.toString();
    }
}
