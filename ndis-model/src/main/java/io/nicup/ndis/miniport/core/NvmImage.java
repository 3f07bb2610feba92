package io.nicup.ndis.miniport.core;

import io.nicup.ndis.MacAddress;
import java.util.Arrays;

/**
 * The checksummed part of a device's NVM (EEPROM) as the driver read it word by word ({@code ethtool -e}):
 * the words, the sum they must have, the MAC address they hold and the firmware version the driver
 * decodes from them ({@code ethtool -i}). Read through {@link NicDiagnostics#nvm()} on an initialized
 * adapter, or kept by a driver whose MiniportInitializeEx refused the image
 * ({@link NicDriver#nvmAtInitFailure}).
 *
 * @param words the 16-bit words from word 0 on
 * @param expectedSum what the words must sum to, modulo 2^16
 * @param mac the permanent MAC address the image holds
 * @param firmwareVersion as {@code ethtool -i} prints it ("2.1-0"), or "n/a"
 */
public record NvmImage(int[] words, int expectedSum, MacAddress mac, String firmwareVersion) {

    public NvmImage {
        words = words.clone();
    }

    /** The sum of every word, modulo 2^16. */
    public int sum() {
        return Arrays.stream(words).sum() & 0xFFFF;
    }

    public boolean checksumValid() {
        return sum() == expectedSum;
    }

    /** Word {@code index} of the image. */
    public int word(int index) {
        return words[index];
    }

    @Override
    public int[] words() {
        return words.clone();
    }
}
