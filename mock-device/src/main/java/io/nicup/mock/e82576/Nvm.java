package io.nicup.mock.e82576;

/**
 * The 82576's NVM image as EERD reads it: 64 words, the MAC address in words 0-2 (low byte first), the
 * device ID in words 11 and 13, and word 0x3F chosen so that words 0x00-0x3F sum to 0xBABA (QEMU
 * {@code e1000x_core_prepare_eeprom} over igb's template in hw/net/igb.c; the other words here are that
 * template's shape, not a real board's configuration).
 */
public final class Nvm {

    public static final int WORDS = 64;
    public static final int CHECKSUM_WORD = 0x3F;
    public static final int SUM = 0xBABA;

    private static final int[] TEMPLATE = {
        0x0000, 0x0000, 0x0000, 0x0d34, 0xffff, 0x2010, 0xffff, 0xffff,
        0x0000, 0x0000, 0x0000, 0x0000, 0x8086, 0x0000, 0x0000, 0x0000,
        0x0050, 0x0000, 0x0000, 0xffff, 0x1001, 0x00c8, 0x0000, 0x2704,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
        0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
    };

    private final int[] words = new int[WORDS];

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

    public int read(int word) {
        return words[word];
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
