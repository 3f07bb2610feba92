package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.MacAddress;
import java.util.function.IntUnaryOperator;

/**
 * What the 82574L and the 82576 NVM images share: the checksum over words 0x00..0x3F (Linux
 * {@code NVM_SUM} 0xBABA) and the MAC address in words 0-2, low byte first. How a word is read (EERD) is
 * each family's hardware class.
 */
public final class NvmWords {

    private NvmWords() {
    }

    /** Words the NVM checksum covers (0x00 .. 0x3F). */
    public static final int CHECKSUM_WORDS = 0x40;
    /** Sum of NVM words 0x00..0x3F on a valid image (Linux {@code NVM_SUM}). */
    public static final int SUM = 0xBABA;

    /** Sum of words 0x00..0x3F, modulo 2^16, each read with {@code readWord}. */
    public static int checksum(IntUnaryOperator readWord) {
        int sum = 0;
        for (int w = 0; w < CHECKSUM_WORDS; w++) {
            sum += readWord.applyAsInt(w);
        }
        return sum & 0xFFFF;
    }

    /** The MAC address in words 0-2, low byte first. */
    public static MacAddress macAddress(IntUnaryOperator readWord) {
        long v = 0;
        for (int w = 0; w < 3; w++) {
            int data = readWord.applyAsInt(w);
            v = v << 16 | (long) (data & 0xFF) << 8 | (data >>> 8) & 0xFF;
        }
        return new MacAddress(v);
    }
}
