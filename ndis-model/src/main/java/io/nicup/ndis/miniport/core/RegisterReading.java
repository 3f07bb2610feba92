package io.nicup.ndis.miniport.core;

/**
 * One register of a dump ({@code ethtool -d}): its name as in the datasheet or specification, its
 * offset in the space it was read from, the value and the decoded fields.
 */
public record RegisterReading(String name, int offset, int value, String decoded) {

    @Override
    public String toString() {
        return String.format("%-8s 0x%05X = 0x%08X%s", name, offset, value, decoded.isEmpty() ? "" : "  " + decoded);
    }
}
