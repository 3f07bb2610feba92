package io.nicup.ndis.miniport.intel;

import io.nicup.ndis.miniport.core.NvmImage;
import io.nicup.vfio.RegisterTimeoutException;

/**
 * The checksummed words 0x00..0x3F of an Intel NVM read through EERD ({@code ethtool -e}), with the MAC
 * address of words 0-2 and the firmware version the chip's Linux driver decodes (docs/hardware-reference.md B.12).
 */
public final class NvmImages {

    private NvmImages() {
    }

    /** Reads the image through {@code hw}; a word the version needs beyond the image counts as unreadable. */
    public static NvmImage read(IntelHardware hw, IntelChip chip) {
        int[] words = new int[NvmWords.CHECKSUM_WORDS];
        for (int w = 0; w < words.length; w++) {
            words[w] = hw.readNvm(w);
        }
        return new NvmImage(words, NvmWords.SUM, NvmWords.macAddress(w -> words[w]), firmwareVersion(hw, chip));
    }

    /** The firmware version of the NVM behind {@code hw}, as the chip's Linux driver prints it. */
    public static String firmwareVersion(IntelHardware hw, IntelChip chip) {
        return chip.firmwareVersion(w -> {
            try {
                return hw.readNvm(w);
            } catch (RegisterTimeoutException beyondTheImage) {
                return NvmVersions.UNREADABLE;   // QEMU never completes a read beyond its 64 words
            }
        });
    }
}
