package io.nicup.mock.e82576;

import io.nicup.mock.intel.E1000xNvm;

/**
 * The 82576's NVM image as EERD reads it: 64 words, the MAC address in words 0-2 (low byte first), the
 * device ID in words 11 and 13, and word 0x3F chosen so that words 0x00-0x3F sum to 0xBABA (QEMU
 * {@code e1000x_core_prepare_eeprom} over igb's template in hw/net/igb.c; the other words here are that
 * template's shape, not a real board's configuration).
 */
public final class Nvm extends E1000xNvm {

    /** igb's template is mostly zeros: its other words, as (word, value) pairs. */
    private static final int[] WORDS_SET = {
        0x03, 0x0d34, 0x04, 0xffff, 0x05, 0x2010, 0x06, 0xffff, 0x07, 0xffff, 0x0c, 0x8086,
        0x10, 0x0050, 0x13, 0xffff, 0x14, 0x1001, 0x15, 0x00c8, 0x17, 0x2704,
    };

    private static int[] template() {
        int[] words = new int[WORDS];
        for (int i = 0; i < WORDS_SET.length; i += 2) {
            words[WORDS_SET[i]] = WORDS_SET[i + 1];
        }
        return words;
    }

    Nvm(byte[] mac, int deviceId, boolean badChecksum) {
        super(template(), mac, deviceId, badChecksum);
    }
}
