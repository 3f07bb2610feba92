package io.nicup.mock.intel;

/**
 * An e1000-family NVM (EEPROM) image as EERD reads it: 64 words, the MAC address in words 0-2 (low byte
 * first), the device ID in words 11 and 13, and word 0x3F chosen so that words 0x00-0x3F sum to 0xBABA,
 * prepared from a chip's template as QEMU's {@code e1000x_core_prepare_eeprom} does. Each chip's
 * subclass brings its template.
 */
public abstract class E1000xNvm {

    /** Words in the image ({@code E1000E_EEPROM_SIZE}). */
    public static final int WORDS = 64;
    /** The checksum word ({@code NVM_CHECKSUM_REG}). */
    public static final int CHECKSUM_WORD = 0x3F;
    /** The sum words 0x00-0x3F must have ({@code NVM_SUM}). */
    public static final int SUM = 0xBABA;

    private final int[] words = new int[WORDS];

    /**
     * @param template the chip's 64 words before the address, device ID and checksum go in
     * @param mac the permanent MAC address
     * @param deviceId written to words 11 and 13
     * @param badChecksum make the sum miss 0xBABA by one (the nvm-checksum fault)
     */
    protected E1000xNvm(int[] template, byte[] mac, int deviceId, boolean badChecksum) {
        System.arraycopy(template, 0, words, 0, WORDS);
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

    public int read(int word) {
        return words[word];
    }

    /** Stores a word (EEWR), for chips whose NVM the driver can write: only the 82574L routes EEWR here. */
    public final void write(int word, int value) {
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
