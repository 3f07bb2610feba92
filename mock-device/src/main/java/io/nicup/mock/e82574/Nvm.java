package io.nicup.mock.e82574;

/**
 * The 82574L's NVM (EEPROM) image as EERD reads it: 64 words, the MAC address in words 0-2 (low byte
 * first), the device ID in words 11 and 13, and word 0x3F chosen so that words 0x00-0x3F sum to
 * 0xBABA. The remaining words are QEMU's {@code e1000e_eeprom_template} (hw/net/e1000e.c), prepared as
 * {@code e1000x_core_prepare_eeprom} does (reference B.6).
 */
public final class Nvm {

    /** Words in the image ({@code E1000E_EEPROM_SIZE}). */
    public static final int WORDS = 64;
    /** The checksum word ({@code NVM_CHECKSUM_REG}). */
    public static final int CHECKSUM_WORD = 0x3F;
    /** The sum words 0x00-0x3F must have ({@code NVM_SUM}). */
    public static final int SUM = 0xBABA;

    private static final int[] TEMPLATE = {
        0x0000, 0x0000, 0x0000, 0x0420, 0xf746, 0x2010, 0xffff, 0xffff,
        0x0000, 0x0000, 0x026b, 0x0000, 0x8086, 0x0000, 0x0000, 0x8058,
        0x0000, 0x2001, 0x7e7c, 0xffff, 0x1000, 0x00c8, 0x0000, 0x2704,
        0x6cc9, 0x3150, 0x070e, 0x460b, 0x2d84, 0x0100, 0xf000, 0x0706,
        0x6000, 0x0080, 0x0f04, 0x7fff, 0x4f01, 0xc600, 0x0000, 0x20ff,
        0x0028, 0x0003, 0x0000, 0x0000, 0x0000, 0x0003, 0x0000, 0xffff,
        0x0100, 0xc000, 0x121c, 0xc007, 0xffff, 0xffff, 0xffff, 0xffff,
        0xffff, 0xffff, 0xffff, 0xffff, 0x0000, 0x0120, 0xffff, 0x0000,
    };

    private final int[] words = new int[WORDS];

    /**
     * @param mac the permanent MAC address
     * @param deviceId written to words 11 and 13
     * @param badChecksum make the sum miss 0xBABA by one (the nvm-checksum fault)
     */
    Nvm(byte[] mac, int deviceId, boolean badChecksum) {
        System.arraycopy(TEMPLATE, 0, words, 0, WORDS);
        for (int i = 0; i < 3; i++) {
            words[i] = ((mac[2 * i + 1] & 0xFF) << 8) | (mac[2 * i] & 0xFF);
        }
        words[11] = deviceId;
        words[13] = deviceId;
        int sum = 0;
        for (int i = 0; i < CHECKSUM_WORD; i++) {
            sum += words[i];
        }
        words[CHECKSUM_WORD] = (SUM - sum + (badChecksum ? 1 : 0)) & 0xFFFF;
    }

    int read(int word) {
        return words[word];
    }

    void write(int word, int value) {
        words[word] = value & 0xFFFF;
    }

    /** Sum of words 0x00-0x3F, as a driver's checksum test computes it. */
    public int checksum() {
        int sum = 0;
        for (int w : words) {
            sum += w;
        }
        return sum & 0xFFFF;
    }
}
