package io.nicup.ndis.miniport.intel;

import java.util.function.IntUnaryOperator;

/**
 * The firmware version {@code ethtool -i} shows for an Intel gigabit NIC, decoded from its NVM the way
 * each Linux driver does it. Facts and sources: docs/hardware-reference.md B.12.
 */
public final class NvmVersions {

    private NvmVersions() {
    }

    /** NVM word with the image version (Linux {@code NVM_VERSION}). */
    public static final int VERSION_WORD = 0x05;
    /** eTrack ID, low and high word (Linux igb {@code NVM_ETRACK_WORD}, {@code NVM_ETRACK_HIWORD}). */
    public static final int ETRACK_WORD = 0x42;
    public static final int ETRACK_HIWORD = 0x43;
    /** In the eTrack high word: the ID is valid (Linux igb {@code NVM_ETRACK_VALID} under {@code NVM_MAJOR_MASK}). */
    public static final int ETRACK_VALID = 0x8000;
    /** An NVM word that cannot be read (beyond the image): {@code readWord} returns it. */
    public static final int UNREADABLE = -1;

    /** e1000e ({@code e1000_get_drvinfo}): word 5 as "major.minor-build" from bits 15:12, 11:4, 3:0. */
    public static String e1000e(IntUnaryOperator readWord) {
        int v = readWord.applyAsInt(VERSION_WORD);
        return String.format("%d.%d-%d", (v & 0xF000) >>> 12, (v & 0x0FF0) >>> 4, v & 0x000F);
    }

    /**
     * igb on the 82575/82576/82580 ({@code igb_get_fw_version}, then {@code igb_set_fw_version} without an
     * option ROM): without a valid eTrack ID, "major.minor.build" from word 5 like e1000e; with one,
     * "major.minor, 0xETRACK" where the minor is read as decimal digits in hex (0x15 prints 15). A word
     * beyond the image ({@link #UNREADABLE}) is no eTrack ID.
     */
    public static String igb(IntUnaryOperator readWord) {
        int high = readWord.applyAsInt(ETRACK_HIWORD);
        int v = readWord.applyAsInt(VERSION_WORD);
        int major = (v & 0xF000) >>> 12;
        if (high == UNREADABLE || (high & 0xF000) != ETRACK_VALID) {
            return String.format("%d.%d.%d", major, (v & 0x0FF0) >>> 4, v & 0x000F);
        }
        int minorBcd = (v & 0x0F00) == 0 ? v & 0x00FF : (v & 0x0FF0) >>> 4;
        int minor = minorBcd / 16 * 10 + minorBcd % 16;
        int low = readWord.applyAsInt(ETRACK_WORD);
        long etrack = (long) high << 16 | (low == UNREADABLE ? 0 : low);
        return etrack == 0 ? String.format("%d.%d.0", major, minor) : String.format("%d.%d, 0x%08x", major, minor, etrack);
    }
}
