package io.nicup.mock.e82574;

import io.nicup.mock.intel.E1000xNvm;

/**
 * The 82574L's NVM (EEPROM) image as EERD reads it: 64 words, the MAC address in words 0-2 (low byte
 * first), the device ID in words 11 and 13, and word 0x3F chosen so that words 0x00-0x3F sum to
 * 0xBABA. The remaining words are QEMU's {@code e1000e_eeprom_template} (hw/net/e1000e.c), prepared as
 * {@code e1000x_core_prepare_eeprom} does (docs/hardware-reference.md B.6).
 */
public final class Nvm extends E1000xNvm {

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

    /**
     * @param mac the permanent MAC address
     * @param deviceId written to words 11 and 13
     * @param badChecksum make the sum miss 0xBABA by one (the nvm-checksum fault)
     */
    Nvm(byte[] mac, int deviceId, boolean badChecksum) {
        super(TEMPLATE, mac, deviceId, badChecksum);
    }
}
