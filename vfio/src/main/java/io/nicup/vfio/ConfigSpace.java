package io.nicup.vfio;

/**
 * The PCI configuration space of a function (256 bytes, or 4 KiB for PCI Express). Little-endian.
 * Through VFIO some fields are virtualised by the kernel (BARs, the INTx-disable bit); the rest reach
 * the device.
 */
public interface ConfigSpace {

    /** Bytes readable: 256 for conventional PCI, 4096 for PCI Express. */
    int size();

    int read8(int offset);

    int read16(int offset);

    int read32(int offset);

    void write8(int offset, int value);

    void write16(int offset, int value);

    void write32(int offset, int value);
}
